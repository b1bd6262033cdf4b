package dev.weir.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskerTest {
  private final Masker masker = new Masker();

  @Test
  void replaces_every_occurrence_of_a_registered_secret() {
    masker.register("s3cr3t");
    assertThat(masker.mask("password=s3cr3t, again s3cr3t"))
        .isEqualTo("password=******, again ******");
  }

  @Test
  void leaves_text_without_secrets_alone() {
    masker.register("s3cr3t");
    assertThat(masker.mask("nothing to hide")).isEqualTo("nothing to hide");
    assertThat(masker.mask(null)).isNull();
  }

  @Test
  void masks_nothing_before_any_secret_is_registered() {
    assertThat(masker.mask("s3cr3t")).isEqualTo("s3cr3t");
  }

  @Test
  void ignores_secrets_too_short_to_mask_without_garbling_every_line() {
    masker.register("ab");
    masker.register("");
    masker.register(null);
    assertThat(masker.mask("a cab ab")).isEqualTo("a cab ab");
  }

  @Test
  void masks_a_secret_that_contains_another_as_a_whole() {
    masker.register("token");
    masker.register("token-extended");
    assertThat(masker.mask("x token-extended y token"))
        .isEqualTo("x " + Masker.MASK + " y " + Masker.MASK);
  }

  @Test
  void masks_a_secret_with_surrounding_whitespace_also_when_printed_trimmed() {
    masker.register("  padded-secret\n");
    assertThat(masker.mask("value: padded-secret.")).isEqualTo("value: ******.");
  }

  @Test
  void registering_a_secret_twice_is_harmless() {
    masker.register("s3cr3t");
    masker.register("s3cr3t");
    assertThat(masker.mask("s3cr3t")).isEqualTo("******");
  }
}
