package dev.weir.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  private static Utf8.Invalid first(byte... bytes) {
    return Utf8.firstInvalid(bytes).orElse(null);
  }

  @Test
  void well_formed_text_of_every_length_has_no_invalid_byte() {
    String text = "a é € 😀\nline two\n";
    assertThat(Utf8.firstInvalid(text.getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @Test
  void a_latin1_byte_is_named_with_its_offset_and_line() {
    byte[] bytes = "ab\ncd\ncaf\u00e9,1\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(Utf8.firstInvalid(bytes).orElseThrow().describe())
        .isEqualTo("byte 0xE9 at offset 9, line 3");
  }

  @Test
  void stray_continuations_overlongs_surrogates_and_cut_sequences_are_invalid() {
    assertThat(first((byte) 0x80)).isEqualTo(new Utf8.Invalid(0x80, 0, 1));
    assertThat(first((byte) 'a', (byte) 0xC0, (byte) 0x80)).isEqualTo(new Utf8.Invalid(0xC0, 1, 1));
    assertThat(first((byte) 0xE0, (byte) 0x80, (byte) 0x80))
        .isEqualTo(new Utf8.Invalid(0xE0, 0, 1));
    assertThat(first((byte) 0xED, (byte) 0xA0, (byte) 0x80))
        .isEqualTo(new Utf8.Invalid(0xED, 0, 1));
    assertThat(first((byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80))
        .isEqualTo(new Utf8.Invalid(0xF4, 0, 1));
    assertThat(first((byte) 0xE2, (byte) 0x82)).isEqualTo(new Utf8.Invalid(0xE2, 0, 1));
    assertThat(first((byte) 0x0A, (byte) 0x05, (byte) 0xFF).describe())
        .isEqualTo("byte 0xFF at offset 2, line 2");
  }
}
