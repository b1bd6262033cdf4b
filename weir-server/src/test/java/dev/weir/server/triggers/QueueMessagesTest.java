package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.flow.trigger.QueueTrigger;
import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.util.Hashes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueMessagesTest {
  static final QueueTrigger T =
      new QueueTrigger(
          "orders", "rabbitmq", "events", "q", null, null, 1, null, null, Map.of(), false, null);

  static IncomingMessage message(String id, String body) {
    return new IncomingMessage(
        id,
        "k",
        body.getBytes(StandardCharsets.UTF_8),
        Map.of("h", "v"),
        "q",
        Instant.parse("2026-12-04T10:00:00Z"),
        7L);
  }

  @Test
  void a_dead_letter_record_replays_as_the_same_trigger_data() throws Exception {
    var m = message("m-1", "{\"n\": 1}");
    var json = new ObjectMapper();
    var stored = json.readTree(json.writeValueAsString(QueueMessages.record(m, "m-1")));
    assertThat(stored.path("fireKey").asText()).isEqualTo("m-1");
    var replayed = QueueMessages.fromRecord(stored);
    assertThat(QueueMessages.data(T, replayed, "m-1")).isEqualTo(QueueMessages.data(T, m, "m-1"));
  }

  @Test
  void a_long_key_is_stored_as_its_sha256() {
    String longKey = "x".repeat(QueueMessages.LONGEST_KEY + 1);
    assertThat(QueueMessages.fireKey(longKey)).isEqualTo("sha256:" + Hashes.sha256(longKey));
    assertThat(QueueMessages.fireKey("short")).isEqualTo("short");
  }

  @Test
  void a_message_whose_key_does_not_render_is_known_by_its_id_or_else_its_content() {
    assertThat(QueueMessages.unkeyedFireKey(message("m-1", "a")))
        .isEqualTo(QueueMessages.unkeyedFireKey(message("m-1", "b")))
        .isEqualTo("unkeyed:m-1");
    assertThat(QueueMessages.unkeyedFireKey(message(null, "a")))
        .isEqualTo(QueueMessages.unkeyedFireKey(message(null, "a")))
        .isNotEqualTo(QueueMessages.unkeyedFireKey(message(null, "b")));
  }

  @Test
  void binary_bodies_that_decode_alike_have_different_keys_and_text_keeps_its_old_key() {
    // both are invalid UTF-8 and decode to the same U+FFFD text
    var a = binary(new byte[] {(byte) 0xFF, 1});
    var b = binary(new byte[] {(byte) 0xFE, 1});
    assertThat(new String(a.body(), StandardCharsets.UTF_8))
        .isEqualTo(new String(b.body(), StandardCharsets.UTF_8));
    assertThat(QueueMessages.unkeyedFireKey(a))
        .isNotEqualTo(QueueMessages.unkeyedFireKey(b))
        .isEqualTo(QueueMessages.unkeyedFireKey(binary(new byte[] {(byte) 0xFF, 1})));
    // the key a UTF-8 text body had when its decoded text was hashed (fires stored before)
    assertThat(QueueMessages.unkeyedFireKey(message(null, "héllo {\"n\": 1}")))
        .isEqualTo("unkeyed:sha256:" + Hashes.sha256("q\nhéllo {\"n\": 1}"));
  }

  static IncomingMessage binary(byte[] body) {
    return new IncomingMessage(null, null, body, Map.of(), "q", null, null);
  }

  @Test
  void only_a_body_that_can_be_json_is_parsed() {
    assertThat(QueueMessages.data(T, message("m", "{\"n\": [1]}"), "m").get("json"))
        .isEqualTo(Map.of("n", java.util.List.of(1)));
    assertThat(QueueMessages.data(T, message("m", "plain text"), "m").get("json")).isNull();
    assertThat(QueueMessages.data(T, message("m", "{broken"), "m").get("json")).isNull();
  }
}
