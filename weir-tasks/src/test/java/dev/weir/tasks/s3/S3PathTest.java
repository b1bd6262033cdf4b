package dev.weir.tasks.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3PathTest {
  @Test
  void parses_bucket_and_key() {
    S3Path p = S3Path.parse("s3://lake/orders/2026-11-21.csv");
    assertThat(p.bucket()).isEqualTo("lake");
    assertThat(p.key()).isEqualTo("orders/2026-11-21.csv");
    assertThat(p.isObject()).isTrue();
    assertThat(p.fileName()).isEqualTo("2026-11-21.csv");
    assertThat(p).hasToString("s3://lake/orders/2026-11-21.csv");
  }

  @Test
  void a_dot_segment_never_becomes_a_local_directory_name() {
    assertThat(S3Path.parse("s3://lake/a/..").fileName()).isEqualTo("object");
  }

  @Test
  void a_key_ending_in_a_slash_or_an_empty_key_is_a_prefix() {
    assertThat(S3Path.parse("s3://lake/orders/").isPrefix()).isTrue();
    assertThat(S3Path.parse("s3://lake").isPrefix()).isTrue();
    assertThat(S3Path.parse("s3://lake/").key()).isEmpty();
  }

  @Test
  void star_stays_in_one_segment_and_double_star_crosses_them() {
    var star = S3Path.parse("s3://lake/day=1/*.csv").matcher();
    assertThat(star.test("day=1/a.csv")).isTrue();
    assertThat(star.test("day=1/sub/a.csv")).isFalse();
    assertThat(star.test("day=1/a.json")).isFalse();
    var deep = S3Path.parse("s3://lake/day=1/**.csv").matcher();
    assertThat(deep.test("day=1/sub/a.csv")).isTrue();
    var chars = S3Path.parse("s3://lake/part-?[0-2].csv").matcher();
    assertThat(chars.test("part-a1.csv")).isTrue();
    assertThat(chars.test("part-a7.csv")).isFalse();
  }

  @Test
  void a_glob_lists_from_the_text_before_its_first_wildcard() {
    S3Path p = S3Path.parse("s3://lake/orders/2026-*/part.csv");
    assertThat(p.hasGlob()).isTrue();
    assertThat(p.listPrefix()).isEqualTo("orders/2026-");
    assertThat(p.base()).isEqualTo("orders/");
  }

  @Test
  void dots_and_other_regex_characters_in_a_glob_are_literal() {
    var m = S3Path.parse("s3://lake/a+b/(x).*").matcher();
    assertThat(m.test("a+b/(x).csv")).isTrue();
    assertThat(m.test("aab/(x)xcsv")).isFalse();
  }

  @Test
  void rejects_what_is_not_an_s3_address_with_an_example() {
    assertThatThrownBy(() -> S3Path.parse("/data/orders.csv"))
        .hasMessage(
            "'/data/orders.csv' is not an S3 address; write s3://bucket/key, e.g."
                + " s3://lake/orders.csv");
    assertThatThrownBy(() -> S3Path.parse("s3://Lake_1/x.csv"))
        .hasMessage(
            "in 's3://Lake_1/x.csv': 'Lake_1' is not a bucket name: 3 to 63 lower-case letters,"
                + " digits, '.' or '-'; write e.g. s3://lake/orders/2026-11-21.csv");
  }
}
