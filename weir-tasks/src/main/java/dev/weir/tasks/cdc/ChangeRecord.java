package dev.weir.tasks.cdc;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change as the record of a dead letter: {@code op}, {@code table}, {@code key} and {@code
 * values} by column name (null for a delete), as the target would have got them: masked columns
 * masked, dropped and excluded columns absent. Bytes are base64, times ISO-8601 text.
 */
final class ChangeRecord {
  private ChangeRecord() {}

  static Map<String, Object> of(Change c) {
    var out = new LinkedHashMap<String, Object>();
    out.put("op", c.op().name().toLowerCase(java.util.Locale.ROOT));
    out.put("table", c.table());
    var key = new LinkedHashMap<String, Object>();
    for (int i = 0; i < c.keyColumns().size(); i++) {
      key.put(c.keyColumns().get(i), plain(c.key().get(i)));
    }
    out.put("key", key);
    if (c.values() == null) {
      out.put("values", null);
    } else {
      var values = new LinkedHashMap<String, Object>();
      for (int i = 0; i < c.values().length; i++) {
        values.put(c.shape().names().get(i), plain(c.values()[i]));
      }
      out.put("values", values);
    }
    out.put(
        "sourceCommittedAt",
        c.sourceMillis() > 0 ? Instant.ofEpochMilli(c.sourceMillis()).toString() : null);
    return out;
  }

  /** A value as JSON can hold it. */
  static Object plain(Object v) {
    if (v instanceof KeyBytes k) {
      v = k.bytes();
    }
    if (v == null
        || v instanceof String
        || v instanceof Boolean
        || v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Double
        || v instanceof Float
        || v instanceof BigDecimal) {
      return v;
    }
    if (v instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    return v.toString();
  }
}
