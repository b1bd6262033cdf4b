package dev.weir.tasks.jdbc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.duckdb.DuckDBAppender;

/** How each column of a source result maps to a DuckDB column, and how its values are copied. */
final class SourceColumns {
  private SourceColumns() {}

  /** One result column: its name, the DuckDB type it is staged as, and how a value is copied. */
  record Column(String name, String duckType, Copier copier) {}

  @FunctionalInterface
  interface Copier {
    void copy(ResultSet rs, int index, DuckDBAppender out) throws SQLException;
  }

  static List<Column> of(ResultSetMetaData md, Dialect dialect) throws SQLException {
    var columns = new ArrayList<Column>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      columns.add(column(md, i, dialect));
    }
    return columns;
  }

  private static Column column(ResultSetMetaData md, int i, Dialect dialect) throws SQLException {
    String name = md.getColumnLabel(i);
    if (name == null || name.isEmpty()) {
      name = md.getColumnName(i);
    }
    String typeName = String.valueOf(md.getColumnTypeName(i)).toLowerCase(Locale.ROOT);
    int type = md.getColumnType(i);
    if (dialect == Dialect.SQLITE) {
      type = sqliteType(typeName);
    }
    if (typeName.equals("json") || typeName.equals("jsonb")) {
      return new Column(name, "JSON", SourceColumns::string);
    }
    if (typeName.equals("uuid")) {
      return new Column(name, "UUID", SourceColumns::uuid);
    }
    if (typeName.equals("timestamptz") || typeName.contains("with time zone")) {
      return new Column(name, "TIMESTAMP WITH TIME ZONE", SourceColumns::offsetDateTime);
    }
    boolean unsigned = typeName.contains("unsigned");
    return switch (type) {
      case Types.BIT, Types.BOOLEAN ->
          md.getPrecision(i) > 1 && type == Types.BIT
              ? new Column(name, "VARCHAR", SourceColumns::string)
              : new Column(name, "BOOLEAN", SourceColumns::bool);
      case Types.TINYINT -> new Column(name, "SMALLINT", SourceColumns::int16);
      case Types.SMALLINT ->
          unsigned
              ? new Column(name, "INTEGER", SourceColumns::int32)
              : new Column(name, "SMALLINT", SourceColumns::int16);
      case Types.INTEGER ->
          unsigned
              ? new Column(name, "BIGINT", SourceColumns::int64)
              : new Column(name, "INTEGER", SourceColumns::int32);
      case Types.BIGINT ->
          unsigned
              ? new Column(name, "DECIMAL(20,0)", decimal(0))
              : new Column(name, "BIGINT", SourceColumns::int64);
      case Types.REAL -> new Column(name, "FLOAT", SourceColumns::float32);
      case Types.FLOAT, Types.DOUBLE -> new Column(name, "DOUBLE", SourceColumns::float64);
      case Types.NUMERIC, Types.DECIMAL -> numeric(name, md.getPrecision(i), md.getScale(i));
      case Types.DATE -> new Column(name, "DATE", SourceColumns::date);
      case Types.TIME, Types.TIME_WITH_TIMEZONE -> new Column(name, "TIME", SourceColumns::time);
      case Types.TIMESTAMP -> new Column(name, "TIMESTAMP", SourceColumns::timestamp);
      case Types.TIMESTAMP_WITH_TIMEZONE ->
          new Column(name, "TIMESTAMP WITH TIME ZONE", SourceColumns::offsetDateTime);
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB ->
          new Column(name, "BLOB", SourceColumns::bytes);
      default -> new Column(name, "VARCHAR", SourceColumns::string);
    };
  }

  /**
   * Exact decimals keep their precision and scale. A number without a declared precision
   * (PostgreSQL's plain {@code numeric}) becomes DOUBLE, as DuckDB's own PostgreSQL reader does.
   */
  private static Column numeric(String name, int precision, int scale) {
    if (precision <= 0 || precision > 38 || scale < 0 || scale > precision) {
      return new Column(name, "DOUBLE", SourceColumns::float64);
    }
    return new Column(name, "DECIMAL(" + precision + "," + scale + ")", decimal(scale));
  }

  // SQLite reports declared types loosely; go by the declared name
  private static int sqliteType(String typeName) {
    if (typeName.contains("int")) {
      return Types.BIGINT;
    }
    if (typeName.contains("real") || typeName.contains("floa") || typeName.contains("doub")) {
      return Types.DOUBLE;
    }
    if (typeName.contains("bool")) {
      return Types.BOOLEAN;
    }
    if (typeName.contains("blob")) {
      return Types.BLOB;
    }
    if (typeName.contains("char") || typeName.contains("text") || typeName.contains("clob")) {
      return Types.VARCHAR;
    }
    return Types.VARCHAR;
  }

  private static void bool(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    boolean v = rs.getBoolean(i);
    if (rs.wasNull()) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static void int16(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    short v = rs.getShort(i);
    if (rs.wasNull()) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static void int32(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    int v = rs.getInt(i);
    if (rs.wasNull()) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static void int64(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    long v = rs.getLong(i);
    if (rs.wasNull()) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static void float32(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    float v = rs.getFloat(i);
    if (rs.wasNull()) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static void float64(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    double v = rs.getDouble(i);
    if (rs.wasNull()) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static Copier decimal(int scale) {
    return (rs, i, out) -> {
      BigDecimal v = rs.getBigDecimal(i);
      if (v == null) {
        out.appendNull();
      } else {
        out.append(v.setScale(scale, RoundingMode.UNNECESSARY));
      }
    };
  }

  private static void date(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    LocalDate v;
    try {
      v = rs.getObject(i, LocalDate.class);
    } catch (SQLException | RuntimeException e) {
      java.sql.Date d = rs.getDate(i);
      v = d == null ? null : d.toLocalDate();
    }
    if (v == null) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static void time(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    LocalTime v;
    try {
      v = rs.getObject(i, LocalTime.class);
    } catch (SQLException | RuntimeException e) {
      java.sql.Time t = rs.getTime(i);
      v = t == null ? null : t.toLocalTime();
    }
    if (v == null) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static void timestamp(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    LocalDateTime v;
    try {
      v = rs.getObject(i, LocalDateTime.class);
    } catch (SQLException | RuntimeException e) {
      java.sql.Timestamp t = rs.getTimestamp(i);
      v = t == null ? null : t.toLocalDateTime();
    }
    if (v == null) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static void offsetDateTime(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    OffsetDateTime v;
    try {
      v = rs.getObject(i, OffsetDateTime.class);
    } catch (SQLException | RuntimeException e) {
      java.sql.Timestamp t = rs.getTimestamp(i);
      v = t == null ? null : t.toInstant().atOffset(ZoneOffset.UTC);
    }
    if (v == null) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static void bytes(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    byte[] v = rs.getBytes(i);
    if (v == null) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }

  private static void uuid(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    Object v = rs.getObject(i);
    if (v == null) {
      out.appendNull();
    } else {
      out.append(v instanceof UUID u ? u : UUID.fromString(v.toString()));
    }
  }

  private static void string(ResultSet rs, int i, DuckDBAppender out) throws SQLException {
    String v = rs.getString(i);
    if (v == null) {
      out.appendNull();
    } else {
      out.append(v);
    }
  }
}
