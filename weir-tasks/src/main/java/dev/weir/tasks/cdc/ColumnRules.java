package dev.weir.tasks.cdc;

import dev.weir.task.TaskFailedException;
import dev.weir.tasks.duck.Masking;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Which columns of each source table reach the target, and masked how: the task's {@code columns}
 * (include or exclude) and {@code mask} (hash, redact, drop), applied to each change before it is
 * grouped, written or logged. A hash is {@link Masking#hash}: the SHA-256 of the salt, {@code |}
 * and the value's text as DuckDB writes it, in hex, the same as {@code jdbc.load}'s, so masked keys
 * still join.
 */
final class ColumnRules {
  /** The columns of one table a task keeps: {@code include} or {@code exclude}, not both. */
  record Filter(List<String> include, List<String> exclude) {}

  static final String REDACTED = "***";

  private final Map<String, Filter> filters;
  private final Map<String, Map<String, Masking.Rule>> masks; // table → column → rule
  private final String salt;
  // Debezium keeps one Schema object per table version, so a shape is worked out once per version
  private final Map<Schema, RowShape> shapes = new ConcurrentHashMap<>();

  ColumnRules(
      Map<String, Filter> filters, Map<String, Map<String, Masking.Rule>> masks, String salt) {
    this.filters = Map.copyOf(filters);
    this.masks = Map.copyOf(masks);
    this.salt = salt == null ? "" : salt;
  }

  /**
   * Parses the {@code mask} property ({@code schema.table.column: rule}) against the tables.
   *
   * @throws TaskFailedException when a key names no table of the task
   */
  static Map<String, Map<String, Masking.Rule>> masksByTable(
      Map<String, Masking.Rule> mask, List<String> tables) {
    var out = new java.util.LinkedHashMap<String, Map<String, Masking.Rule>>();
    if (mask == null) {
      return out;
    }
    mask.forEach((key, rule) -> {
      int dot = key.lastIndexOf('.');
      String table = dot < 0 ? "" : key.substring(0, dot);
      if (!tables.contains(table)) {
        throw TaskFailedException.permanent(
            "mask."
                + key
                + ": names no column of the task's tables (tables: "
                + String.join(", ", tables)
                + "); write schema.table.column, e.g. `"
                + tables.getFirst()
                + ".email: hash`");
      }
      out.computeIfAbsent(table, t -> new java.util.LinkedHashMap<>())
          .put(key.substring(dot + 1), rule);
    });
    return out;
  }

  /**
   * Checks the rules against a source table's columns and primary key, before streaming starts.
   *
   * @return problems, each naming the property, the table and the column
   */
  List<String> check(String table, List<String> columns, List<String> key) {
    var problems = new ArrayList<String>();
    Filter f = filters.get(table);
    if (f != null) {
      List<String> named = new ArrayList<>();
      if (f.include() != null) {
        named.addAll(f.include());
      }
      if (f.exclude() != null) {
        named.addAll(f.exclude());
        for (String k : key) {
          if (f.exclude().contains(k)) {
            problems.add(
                "columns."
                    + table
                    + ".exclude: "
                    + k
                    + " is part of the primary key, which the target needs; keep it");
          }
        }
      }
      for (String c : named) {
        if (!columns.contains(c)) {
          problems.add(unknown("columns." + table, c, columns));
        }
      }
    }
    masks
        .getOrDefault(table, Map.of())
        .forEach((c, rule) -> {
          if (!columns.contains(c)) {
            problems.add(unknown("mask", table + "." + c, columns));
          } else if (key.contains(c) && rule != Masking.Rule.HASH) {
            problems.add(
                "mask."
                    + table
                    + "."
                    + c
                    + ": "
                    + rule.name().toLowerCase(Locale.ROOT)
                    + " on a primary key column would merge rows; only hash keeps keys apart");
          }
        });
    return problems;
  }

  private static String unknown(String property, String column, List<String> columns) {
    return property
        + ": no column "
        + column
        + " in the source table (columns: "
        + String.join(", ", columns)
        + ")";
  }

  /** The target columns of rows of {@code table} whose value schema is {@code after}. */
  RowShape shape(String table, Schema after) {
    return shapes.computeIfAbsent(after, s -> build(table, s));
  }

  private RowShape build(String table, Schema after) {
    Filter f = filters.get(table);
    Map<String, Masking.Rule> mask = masks.getOrDefault(table, Map.of());
    var columns = new ArrayList<RowShape.Column>();
    for (Field field : after.fields()) {
      String name = field.name();
      if (f != null && f.include() != null && !f.include().contains(name)) {
        continue;
      }
      if (f != null && f.exclude() != null && f.exclude().contains(name)) {
        continue;
      }
      Masking.Rule rule = mask.get(name);
      if (rule == Masking.Rule.DROP) {
        continue;
      }
      boolean text = field.schema().type() == Schema.Type.STRING;
      String type = rule == Masking.Rule.HASH ? "VARCHAR" : ConnectValues.duckType(field.schema());
      columns.add(new RowShape.Column(name, field, type, rule));
    }
    return new RowShape(table, columns, this);
  }

  /** The value a column of a change gets: converted, then masked by {@code rule}. */
  Object value(Field field, Masking.Rule rule, Object raw) {
    Object v = ConnectValues.jdbc(field.schema(), raw);
    if (rule == null || v == null) {
      return v;
    }
    return switch (rule) {
      case HASH -> hash(v);
      case REDACT -> field.schema().type() == Schema.Type.STRING ? REDACTED : null;
      case DROP -> null;
    };
  }

  /** The masked value of key column {@code name} of {@code key}. */
  Object keyValue(String table, Struct key, Field field) {
    return value(field, masks.getOrDefault(table, Map.of()).get(field.name()), key.get(field));
  }

  Set<String> tables() {
    return filters.keySet();
  }

  private String hash(Object v) {
    return Masking.hash(salt, v);
  }
}
