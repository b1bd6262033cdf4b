package dev.weir.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonBytesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void instants_are_written_as_instant_to_string_writes_them() {
    var random = new SplittableRandom(42);
    var b = new JsonBytes(16);
    for (int i = 0; i < 20_000; i++) {
      long sec = random.nextLong(-62_135_596_800L, 253_402_300_799L); // years 1 to 9999
      int nano =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1000;
            default -> random.nextInt(1_000_000_000);
          };
      Instant t = Instant.ofEpochSecond(sec, nano);
      b.reset();
      assertThat(b.instant(t).toString()).isEqualTo(t.toString());
    }
    for (Instant t :
        new Instant[] {
          Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("-0001-01-01T00:00:00Z")
        }) {
      b.reset();
      assertThat(b.instant(t).toString()).isEqualTo(t.toString());
    }
  }

  @Test
  void numbers_are_written_as_long_to_string_writes_them() {
    var b = new JsonBytes(1);
    for (long n :
        new long[] {
          0,
          1,
          9,
          10,
          99,
          100,
          12345,
          Integer.MAX_VALUE,
          -1,
          -42,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          999_999_999_999_999_999L,
          1_000_000_000_000_000_000L
        }) {
      b.reset();
      assertThat(b.number(n).toString()).isEqualTo(Long.toString(n));
    }
  }

  @Test
  void uuids_are_written_as_uuid_to_string_writes_them() {
    var b = new JsonBytes(8);
    for (int i = 0; i < 1000; i++) {
      UUID id = i == 0 ? new UUID(0, 0) : i == 1 ? new UUID(-1, -1) : UUID.randomUUID();
      b.reset();
      assertThat(b.uuid(id).toString()).isEqualTo(id.toString());
      var bytes = java.nio.ByteBuffer.allocate(16);
      bytes.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
      b.reset();
      assertThat(b.uuid(bytes.array()).toString()).isEqualTo(id.toString());
    }
  }

  @Test
  void strings_are_escaped_and_utf8_encoded_so_that_json_reads_them_back() throws Exception {
    String[] values = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "new\nline\ttab\rcr\bbs\ffeed \u0000 \u001f \u007f",
      "é ü ß ø — € 中文 日本語",
      "emoji \uD83D\uDE00 and \uD83C\uDF89",
      "x".repeat(5000) + "\"é\"",
    };
    var b = new JsonBytes(4);
    for (String v : values) {
      b.reset();
      b.quoted(v);
      assertThat(JSON.readTree(b.toByteArray()).asText()).isEqualTo(v);
      assertThat(b.toString()).isEqualTo(JSON.writeValueAsString(v));
    }
  }

  @Test
  void a_lone_surrogate_becomes_a_question_mark_as_string_get_bytes_makes_it() throws Exception {
    var b = new JsonBytes(4);
    b.quoted("a\uD800b");
    assertThat(JSON.readTree(b.toByteArray()).asText()).isEqualTo("a?b");
    for (String odd : new String[] {"\uDC00x", "x\uD800", "\uDC00\uD800", "\uD83D\uDE00\uD83D"}) {
      b.reset();
      assertThat(b.escaped(odd).toByteArray())
          .isEqualTo(odd.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      b.reset();
      assertThat(b.plain(odd).toByteArray())
          .isEqualTo(odd.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
