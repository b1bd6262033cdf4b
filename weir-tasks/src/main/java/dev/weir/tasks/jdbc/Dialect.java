package dev.weir.tasks.jdbc;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What differs between the databases Weir reads and loads: names, types and bulk paths. */
public enum Dialect {
  POSTGRES,
  MYSQL,
  H2,
  SQLITE,
  DUCKDB,
  GENERIC;

  private static final Pattern DECIMAL =
      Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)", Pattern.CASE_INSENSITIVE);
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");

  public static Dialect of(String url) {
    String u = url == null ? "" : url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    if (u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:")) {
      return MYSQL;
    }
    if (u.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (u.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (u.startsWith("jdbc:duckdb:")) {
      return DUCKDB;
    }
    return GENERIC;
  }

  /** Whether connections are worth pooling: network databases, not embedded files. */
  public boolean pooled() {
    return this == POSTGRES || this == MYSQL;
  }

  public String quote(String identifier) {
    if (this == MYSQL) {
      return '`' + identifier.replace("`", "``") + '`';
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * The name a table or column gets when Weir creates it. H2 folds unquoted names to upper case, so
   * a column created as {@code ORDER_ID} stays reachable as {@code order_id} in hand-written SQL.
   */
  public String created(String name) {
    return this == H2 && PLAIN.matcher(name).matches() ? name.toUpperCase(Locale.ROOT) : name;
  }

  public String qualified(String name) {
    var sb = new StringBuilder();
    for (String part : name.split("\\.", -1)) {
      if (!sb.isEmpty()) {
        sb.append('.');
      }
      sb.append(quote(created(part)));
    }
    return sb.toString();
  }

  /**
   * The column type to create for a DuckDB type of a dataset.
   *
   * @param key whether the column is part of a key; MySQL cannot index TEXT
   */
  public String columnType(String duckType, boolean key) {
    String t = duckType.toUpperCase(Locale.ROOT).strip();
    if (t.endsWith("[]") || t.startsWith("STRUCT") || t.startsWith("MAP") || t.contains("[")) {
      return json();
    }
    Matcher dec = DECIMAL.matcher(t);
    if (dec.matches()) {
      return this == SQLITE ? "TEXT" : (this == POSTGRES ? "numeric" : "DECIMAL") + t.substring(7);
    }
    return switch (t) {
      case "BOOLEAN" -> this == SQLITE ? "INTEGER" : "BOOLEAN";
      case "TINYINT", "SMALLINT", "UTINYINT" -> this == SQLITE ? "INTEGER" : "SMALLINT";
      case "INTEGER", "USMALLINT" -> "INTEGER";
      case "BIGINT", "UINTEGER" -> this == SQLITE ? "INTEGER" : "BIGINT";
      case "HUGEINT", "UBIGINT", "UHUGEINT" -> this == SQLITE ? "TEXT" : "DECIMAL(38,0)";
      case "FLOAT" -> this == MYSQL ? "FLOAT" : "REAL";
      case "DOUBLE" -> this == SQLITE ? "REAL" : this == MYSQL ? "DOUBLE" : "DOUBLE PRECISION";
      case "DATE" -> this == SQLITE ? "TEXT" : "DATE";
      case "TIME" -> this == SQLITE ? "TEXT" : this == MYSQL ? "TIME(6)" : "TIME";
      case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S" ->
          this == SQLITE ? "TEXT" : this == MYSQL ? "DATETIME(6)" : "TIMESTAMP";
      case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" ->
          switch (this) {
            case SQLITE -> "TEXT";
            case MYSQL -> "DATETIME(6)"; // MySQL has no zoned type; Weir stores UTC
            case POSTGRES -> "timestamptz";
            default -> "TIMESTAMP WITH TIME ZONE";
          };
      case "BLOB" ->
          switch (this) {
            case POSTGRES -> "bytea";
            case MYSQL -> "LONGBLOB";
            case H2 -> "VARBINARY";
            default -> "BLOB";
          };
      case "UUID" -> this == POSTGRES || this == H2 ? "UUID" : this == MYSQL ? "CHAR(36)" : "TEXT";
      case "JSON" -> json();
      case "INTERVAL" -> this == POSTGRES ? "interval" : text(key);
      default -> text(key);
    };
  }

  private String json() {
    return switch (this) {
      case POSTGRES -> "jsonb";
      case MYSQL -> "JSON";
      case H2 -> "VARCHAR";
      default -> "TEXT";
    };
  }

  private String text(boolean key) {
    return switch (this) {
      case MYSQL -> key ? "VARCHAR(255)" : "LONGTEXT";
      case H2 -> "VARCHAR";
      default -> "TEXT";
    };
  }
}
