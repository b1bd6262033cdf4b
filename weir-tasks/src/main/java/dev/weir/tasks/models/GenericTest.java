package dev.weir.tasks.models;

import dev.weir.flow.Location;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A schema test from YAML ({@code not_null}, {@code unique}, {@code accepted_values}, {@code
 * relationships}) on a column of a model or a source. {@code model} is the tested model's name, or
 * null with {@code source} set ({@code source.table}); {@code args} are the test's arguments
 * (values, quote, to, field) without {@code config}.
 */
public record GenericTest(
    String name,
    Kind kind,
    String model,
    String source,
    String column,
    Map<String, Object> args,
    Severity severity,
    Location location) {
  /** The generic tests Weir knows, by their dbt names. */
  public enum Kind {
    NOT_NULL("not_null"),
    UNIQUE("unique"),
    ACCEPTED_VALUES("accepted_values"),
    RELATIONSHIPS("relationships");

    final String dbtName;

    Kind(String dbtName) {
      this.dbtName = dbtName;
    }

    public String dbtName() {
      return dbtName;
    }

    static Kind of(String name) {
      for (Kind k : values()) {
        if (k.dbtName.equals(name)) {
          return k;
        }
      }
      return null;
    }

    static List<String> names() {
      return java.util.Arrays.stream(values()).map(Kind::dbtName).toList();
    }
  }

  /** What a failing test does: fail the build, or only warn. */
  public enum Severity {
    ERROR,
    WARN
  }

  /**
   * dbt's name for a generic test: {@code not_null_orders_order_id}, {@code
   * relationships_orders_customer_id__customer_id__ref_customers_}; past 63 characters the first 30
   * of the prefix and the MD5 of the full name, as dbt does.
   */
  static String dbtName(
      Kind kind, String target, boolean onSource, String column, Map<String, Object> args) {
    var all = new TreeMap<String, Object>(args);
    if (column != null) {
      all.put("column_name", column);
    }
    var flat = new java.util.ArrayList<String>();
    for (Object v : all.values()) {
      if (v instanceof Map<?, ?> m) {
        m.values().forEach(x -> flat.add(py(x)));
      } else if (v instanceof List<?> l) {
        l.forEach(x -> flat.add(py(x)));
      } else {
        flat.add(py(v));
      }
    }
    String unique =
        String.join("__", flat.stream().map(s -> s.replaceAll("[^0-9a-zA-Z_]+", "_")).toList());
    String prefix = (onSource ? "source_" : "") + kind.dbtName + "_" + target;
    String full = unique.isEmpty() ? prefix : prefix + "_" + unique;
    if (full.length() < 64) {
      return full;
    }
    return prefix.substring(0, Math.min(30, prefix.length())) + "_" + md5(full);
  }

  /** As Python's str(): True/False for booleans. */
  private static String py(Object v) {
    return v instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(v);
  }

  private static String md5(String s) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
      return String.format("%032x", new BigInteger(1, d));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
