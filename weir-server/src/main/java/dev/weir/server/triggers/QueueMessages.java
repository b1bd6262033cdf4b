package dev.weir.server.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.flow.Flow;
import dev.weir.flow.trigger.QueueTrigger;
import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.util.Hashes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a queue trigger passes to its runs as {@code trigger.*}, its dedupe and fire keys, and a
 * message as a dead letter keeps it. The server's consumers and {@code weir deadletters replay}
 * both go through here, so that a replayed message sees what its first delivery would have seen.
 */
public final class QueueMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longer dedupe keys are stored as their hash (the column holds 1000 characters). */
  static final int LONGEST_KEY = 500;

  private QueueMessages() {}

  /**
   * One message as {@code trigger.*}: {@code messageId}, {@code key} (the dedupe key), {@code
   * messageKey} (Kafka's record key; null where the broker carries none), {@code body} (UTF-8
   * text), {@code json} (the body parsed when it is JSON, else null), {@code headers}, {@code
   * source}, {@code publishedAt}; and {@code id}, the trigger's id, as with every trigger. In a
   * batch's {@code messages} the same without {@code id}.
   */
  public static Map<String, Object> data(QueueTrigger t, IncomingMessage m, String key) {
    var d = new LinkedHashMap<String, Object>();
    d.put("id", t.id());
    d.put("messageId", m.id());
    d.put("key", key);
    d.put("messageKey", m.key());
    String body = new String(m.body(), StandardCharsets.UTF_8);
    d.put("body", body);
    d.put("json", json(body));
    d.put("headers", m.headers());
    d.put("source", m.source());
    d.put("publishedAt", m.publishedAt() == null ? null : m.publishedAt().toString());
    return d;
  }

  /** A batch as {@code trigger.*}: {@code messages} (each as {@link #data}) and {@code count}. */
  public static Map<String, Object> batch(QueueTrigger t, List<Map<String, Object>> messages) {
    var d = new LinkedHashMap<String, Object>();
    d.put("id", t.id());
    var each = new ArrayList<Map<String, Object>>();
    for (Map<String, Object> m : messages) {
      var copy = new LinkedHashMap<>(m);
      copy.remove("id");
      each.add(copy);
    }
    d.put("messages", each);
    d.put("count", messages.size());
    return d;
  }

  // only a body that can be JSON is parsed: a text or binary body costs no parse and no exception
  private static Object json(String body) {
    String s = body.strip();
    if (s.isEmpty() || "{[\"-0123456789tfn".indexOf(s.charAt(0)) < 0) {
      return null;
    }
    try {
      return JSON.readValue(s, Object.class);
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * The dedupe key of a message: the trigger's {@code key:} rendered over it, else the broker's
   * message id; null when it has neither (a RabbitMQ message published without an id).
   *
   * @throws WeirException when {@code key:} does not render or renders empty
   */
  public static String dedupeKey(Engine engine, Flow flow, QueueTrigger t, IncomingMessage m) {
    if (t.key() != null) {
      String key = engine.renderForTrigger(flow, t.key(), t.type(), data(t, m, null));
      if (key.isBlank()) {
        throw new WeirException("key '" + t.key() + "' rendered empty");
      }
      return key;
    }
    return m.id();
  }

  /** The fire key of a dedupe key: itself, or its SHA-256 when too long for the store. */
  public static String fireKey(String key) {
    return key.length() <= LONGEST_KEY ? key : "sha256:" + Hashes.sha256(key);
  }

  /**
   * The fire key of a message whose dedupe key did not render: from its broker id, else from what
   * it carries (source and body: two such messages alike to the byte count as one), so that a
   * redelivery of it is recognized and not set aside twice. The body's bytes are hashed as they
   * came, not a decoding of them: binary bodies that decode alike (invalid UTF-8 becomes U+FFFD)
   * are different messages. A valid UTF-8 body keeps the key it had when its text was hashed.
   */
  public static String unkeyedFireKey(IncomingMessage m) {
    return m.id() != null
        ? fireKey("unkeyed:" + m.id())
        : "unkeyed:sha256:"
            + Hashes.sha256((m.source() + "\n").getBytes(StandardCharsets.UTF_8), m.body());
  }

  /** The message as received, with its fire key: what a dead letter keeps of it. */
  public static Map<String, Object> record(IncomingMessage m, String fireKey) {
    var r = new LinkedHashMap<String, Object>();
    r.put("messageId", m.id());
    r.put("messageKey", m.key());
    r.put("body", new String(m.body(), StandardCharsets.UTF_8));
    r.put("headers", m.headers());
    r.put("source", m.source());
    r.put("publishedAt", m.publishedAt() == null ? null : m.publishedAt().toString());
    r.put("fireKey", fireKey);
    return r;
  }

  /** A message as {@link #record} kept it, to replay; it can no longer be acknowledged. */
  public static IncomingMessage fromRecord(JsonNode r) {
    var headers = new LinkedHashMap<String, String>();
    r.path("headers").properties().forEach(e -> headers.put(e.getKey(), text(e.getValue())));
    String body = text(r.get("body"));
    String published = text(r.get("publishedAt"));
    return new IncomingMessage(
        text(r.get("messageId")),
        text(r.get("messageKey")),
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
        headers,
        text(r.get("source")),
        published == null ? null : Instant.parse(published),
        null);
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
  }
}
