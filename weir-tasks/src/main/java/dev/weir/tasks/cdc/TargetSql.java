package dev.weir.tasks.cdc;

import dev.weir.task.TaskFailedException;
import dev.weir.tasks.jdbc.Dialect;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements that apply changes to one kind of target database: a multi-row upsert by primary
 * key, and deletes (or soft deletes) by key list. One subclass per database; what they share
 * (quoting, value lists, deletes) is here.
 */
abstract sealed class TargetSql permits TargetSql.Postgres, TargetSql.DuckDb, TargetSql.MariaDb {
  /** Bind parameters per statement: under PostgreSQL's 65535 and kind to MariaDB's packets. */
  private static final int MAX_PARAMS = 30_000;

  private static final int MAX_ROWS = 1_000;

  final Dialect dialect;

  TargetSql(Dialect dialect) {
    this.dialect = dialect;
  }

  /** The statements for the target at {@code url}; PostgreSQL, MariaDB/MySQL or DuckDB. */
  static TargetSql of(String url, String connection) {
    Dialect d = Dialect.of(url);
    return switch (d) {
      case POSTGRES -> new Postgres();
      case DUCKDB -> new DuckDb();
      case MYSQL -> new MariaDb();
      default ->
          throw TaskFailedException.permanent(
              "target.connection '"
                  + connection
                  + "' is not a PostgreSQL, MariaDB/MySQL or DuckDB database; change data capture"
                  + " applies to those (e.g. url: jdbc:postgresql://host/warehouse)");
    };
  }

  /** How many rows one statement of {@code columns} columns carries. */
  static int rowsPerStatement(int columns) {
    return Math.max(1, Math.min(MAX_ROWS, MAX_PARAMS / Math.max(1, columns)));
  }

  String id(String name) {
    return dialect.quote(name);
  }

  /**
   * {@code INSERT … VALUES (…), … } of {@code rows} rows that replaces rows of the same key.
   *
   * @param soft whether the table has soft-delete columns, which an upsert clears
   */
  final String upsert(
      String table, List<String> columns, List<String> key, int rows, boolean soft) {
    var names = new ArrayList<>(columns);
    var row = new StringBuilder("(").append("?,".repeat(columns.size()));
    row.setLength(row.length() - 1);
    if (soft) {
      names.add(CdcOptions.DELETED);
      names.add(CdcOptions.DELETED_AT);
      row.append(", FALSE, NULL");
    }
    row.append(')');
    var sql =
        new StringBuilder("INSERT INTO ")
            .append(table)
            .append(" (")
            .append(String.join(", ", names.stream().map(this::id).toList()))
            .append(") VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(row);
    }
    List<String> update = names.stream().filter(c -> !key.contains(c)).map(this::id).toList();
    return sql.append(' ').append(onConflict(key, update)).toString();
  }

  /** The clause after the values: update {@code update} (quoted) when the key exists. */
  abstract String onConflict(List<String> key, List<String> update);

  /** {@code DELETE} of {@code rows} keys. */
  final String delete(String table, List<String> key, int rows) {
    return "DELETE FROM " + table + " WHERE " + keyIn(key, rows);
  }

  /** Marks {@code rows} keys deleted; the first parameter is the time. */
  final String softDelete(String table, List<String> key, int rows) {
    return "UPDATE "
        + table
        + " SET "
        + id(CdcOptions.DELETED)
        + " = TRUE, "
        + id(CdcOptions.DELETED_AT)
        + " = ? WHERE "
        + keyIn(key, rows);
  }

  /** Deletes every row (a source truncate). */
  final String deleteAll(String table) {
    return "DELETE FROM " + table;
  }

  /** Marks every row not yet deleted as deleted; the parameter is the time. */
  final String softDeleteAll(String table) {
    return "UPDATE "
        + table
        + " SET "
        + id(CdcOptions.DELETED)
        + " = TRUE, "
        + id(CdcOptions.DELETED_AT)
        + " = ? WHERE "
        + id(CdcOptions.DELETED)
        + " IS NOT TRUE";
  }

  private String keyIn(List<String> key, int rows) {
    String one = "?,".repeat(key.size());
    one = one.substring(0, one.length() - 1);
    var sb = new StringBuilder();
    if (key.size() == 1) {
      sb.append(id(key.getFirst())).append(" IN (");
    } else {
      sb.append('(')
          .append(String.join(", ", key.stream().map(this::id).toList()))
          .append(") IN (");
      one = "(" + one + ")";
    }
    for (int i = 0; i < rows; i++) {
      sb.append(i == 0 ? "" : ", ").append(one);
    }
    return sb.append(')').toString();
  }

  /** PostgreSQL: {@code ON CONFLICT (key) DO UPDATE SET c = EXCLUDED.c}. */
  static final class Postgres extends TargetSql {
    Postgres() {
      super(Dialect.POSTGRES);
    }

    @Override
    String onConflict(List<String> key, List<String> update) {
      return excluded(this, key, update);
    }
  }

  /** DuckDB: the same clause as PostgreSQL's. */
  static final class DuckDb extends TargetSql {
    DuckDb() {
      super(Dialect.DUCKDB);
    }

    @Override
    String onConflict(List<String> key, List<String> update) {
      return excluded(this, key, update);
    }
  }

  private static String excluded(TargetSql sql, List<String> key, List<String> update) {
    String conflict =
        "ON CONFLICT (" + String.join(", ", key.stream().map(sql::id).toList()) + ") DO ";
    if (update.isEmpty()) {
      return conflict + "NOTHING";
    }
    return conflict
        + "UPDATE SET "
        + String.join(", ", update.stream().map(c -> c + " = EXCLUDED." + c).toList());
  }

  /** MariaDB and MySQL: {@code ON DUPLICATE KEY UPDATE c = VALUES(c)}. */
  static final class MariaDb extends TargetSql {
    MariaDb() {
      super(Dialect.MYSQL);
    }

    @Override
    String onConflict(List<String> key, List<String> update) {
      // a key-only table: setting the key to itself makes the duplicate a no-op
      List<String> set = update.isEmpty() ? List.of(id(key.getFirst())) : update;
      return "ON DUPLICATE KEY UPDATE "
          + String.join(", ", set.stream().map(c -> c + " = VALUES(" + c + ")").toList());
    }
  }
}
