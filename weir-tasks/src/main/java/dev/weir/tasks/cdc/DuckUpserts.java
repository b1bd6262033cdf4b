package dev.weir.tasks.cdc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Upserts into a DuckDB target through DuckDB's Appender: a group's rows are appended to a
 * temporary stage table of the group's columns, then one {@code INSERT … SELECT … ON CONFLICT}
 * moves them into the target, in the batch's transaction. Multi-row {@code VALUES} statements cost
 * DuckDB as much to plan as to run (CdcBench: about 10,000 changes/s, 14,000 with the statements
 * kept); the Appender does not plan per row.
 */
final class DuckUpserts {
  private final Connection conn;
  private final TargetSql sql;

  /** The stage table of each target table and column set, made once per connection. */
  private final Map<List<String>, String> stages = new HashMap<>();

  /** Rows upserted through the Appender in this process (tests check the path is taken). */
  static final java.util.concurrent.atomic.AtomicLong APPENDED =
      new java.util.concurrent.atomic.AtomicLong();

  DuckUpserts(Connection conn, TargetSql sql) {
    this.conn = conn;
    this.sql = sql;
  }

  /**
   * Whether every value of {@code rows} (of {@code shape}) has an Appender path to its column's
   * type; else the caller uses statements.
   */
  static boolean appendable(RowShape shape, List<Change> rows) {
    List<RowShape.Column> cols = shape.columns();
    for (Change c : rows) {
      Object[] values = c.values();
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null && !fits(cols.get(i).duckType(), values[i])) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean fits(String duckType, Object v) {
    String t = duckType.toUpperCase(Locale.ROOT);
    if (t.startsWith("DECIMAL")) {
      return v instanceof BigDecimal;
    }
    return switch (t) {
      case "VARCHAR", "JSON", "UUID" -> v instanceof String;
      case "INTEGER" -> v instanceof Integer;
      case "BIGINT" -> v instanceof Long;
      case "SMALLINT" -> v instanceof Short || v instanceof Byte;
      case "BOOLEAN" -> v instanceof Boolean;
      case "DOUBLE" -> v instanceof Double;
      case "FLOAT" -> v instanceof Float;
      case "DATE" -> v instanceof LocalDate;
      case "TIME" -> v instanceof LocalTime;
      case "TIMESTAMP" -> v instanceof LocalDateTime;
      case "TIMESTAMPTZ" -> v instanceof OffsetDateTime;
      case "BLOB" -> v instanceof byte[];
      default -> false;
    };
  }

  /**
   * Upserts {@code rows}, all of the column set {@code columns} (from {@code shape}), into {@code
   * target} by {@code key}.
   *
   * @param soft whether the target has soft-delete columns, which an upsert clears
   */
  void upsert(String target, RowShape shape, List<String> key, List<Change> rows, boolean soft)
      throws SQLException {
    List<String> columns = shape.names();
    String stage = prepare(shape);
    DuckDBConnection duck = conn.unwrap(DuckDBConnection.class);
    // emptied before each use, not after: a batch that rolled back (a sifted trial, a refused
    // batch) may have left appended rows, and one delete per use covers both
    try (Statement st = conn.createStatement()) {
      st.execute("DELETE FROM temp.main." + stage);
    }
    try (DuckDBAppender out = duck.createAppender("temp", "main", stage)) {
      List<RowShape.Column> cols = shape.columns();
      for (Change c : rows) {
        out.beginRow();
        Object[] values = c.values();
        for (int i = 0; i < values.length; i++) {
          append(out, cols.get(i).duckType(), values[i]);
        }
        out.endRow();
      }
    }
    APPENDED.addAndGet(rows.size());
    var names = new ArrayList<String>();
    var selected = new ArrayList<String>();
    for (String c : columns) {
      names.add(sql.id(c));
      selected.add(sql.id(c));
    }
    if (soft) {
      names.add(sql.id(CdcOptions.DELETED));
      names.add(sql.id(CdcOptions.DELETED_AT));
      selected.add("FALSE");
      selected.add("NULL");
    }
    List<String> update =
        names.stream().filter(n -> key.stream().map(sql::id).noneMatch(n::equals)).toList();
    try (Statement st = conn.createStatement()) {
      st.executeUpdate(
          "INSERT INTO "
              + target
              + " ("
              + String.join(", ", names)
              + ") SELECT "
              + String.join(", ", selected)
              + " FROM temp.main."
              + stage
              + " "
              + sql.onConflict(key, update));
    }
  }

  /**
   * The stage table of {@code shape}'s table and column set, made when first needed. Called with
   * auto-commit on before the batch's transaction: a stage made inside it would be gone after a
   * rollback (a sifted trial, a refused batch) while this map still named it.
   */
  String prepare(RowShape shape) throws SQLException {
    var id = new ArrayList<String>();
    id.add(shape.table());
    for (RowShape.Column c : shape.columns()) {
      id.add(c.name() + " " + c.duckType());
    }
    String name = stages.get(id);
    if (name != null) {
      return name;
    }
    name = "weir_cdc_stage_" + stages.size();
    var defs = new ArrayList<String>();
    for (RowShape.Column c : shape.columns()) {
      defs.add(sql.id(c.name()) + " " + stageType(c.duckType()));
    }
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE OR REPLACE TEMP TABLE " + name + " (" + String.join(", ", defs) + ")");
    }
    stages.put(id, name);
    return name;
  }

  /** UUID and JSON values arrive as text: staged as text, cast by the insert. */
  private static String stageType(String duckType) {
    String t = duckType.toUpperCase(Locale.ROOT);
    return t.equals("UUID") || t.equals("JSON") ? "VARCHAR" : duckType;
  }

  private static void append(DuckDBAppender out, String duckType, Object v) throws SQLException {
    switch (v) {
      case null -> out.appendNull();
      case String s -> out.append(s);
      case Integer i -> out.append(i.intValue());
      case Long l -> out.append(l.longValue());
      case Short s -> out.append(s.shortValue());
      case Byte b -> out.append((short) b);
      case Boolean b -> out.append(b.booleanValue());
      case Double d -> out.append(d.doubleValue());
      case Float f -> out.append(f.floatValue());
      // half away from zero, as DuckDB's own cast of a bound parameter rounds
      case BigDecimal d -> out.append(d.setScale(scale(duckType), RoundingMode.HALF_UP));
      case LocalDate d -> out.append(d);
      case LocalTime t -> out.append(t);
      case LocalDateTime t -> out.append(t);
      case OffsetDateTime t -> out.append(t);
      case byte[] b -> out.append(b);
      default -> throw new IllegalStateException("no appender path for " + v.getClass());
    }
  }

  /** The scale of {@code DECIMAL(p,s)}. */
  private static int scale(String duckType) {
    int comma = duckType.indexOf(',');
    int close = duckType.indexOf(')');
    return comma < 0 || close < comma
        ? 0
        : Integer.parseInt(duckType.substring(comma + 1, close).trim());
  }
}
