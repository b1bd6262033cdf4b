package dev.weir.server.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.flow.trigger.QueueTrigger;
import dev.weir.tasks.queue.IncomingMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a queue trigger passes to its runs as {@code trigger.*}, and the shape of a fire key. */
final class QueueMessages {
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
  static Map<String, Object> data(QueueTrigger t, IncomingMessage m, String key) {
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
  static Map<String, Object> batch(QueueTrigger t, List<Map<String, Object>> messages) {
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

  /** The fire key of a dedupe key: itself, or its SHA-256 when too long for the store. */
  static String fireKey(String key) {
    if (key.length() <= LONGEST_KEY) {
      return key;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(h);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
