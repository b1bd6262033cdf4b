package dev.weir.tasks.jdbc;

import static dev.weir.tasks.duck.Sql.id;
import static dev.weir.tasks.duck.Sql.qualified;
import static dev.weir.tasks.duck.Sql.readParquet;
import static dev.weir.tasks.duck.Sql.str;

import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.duck.DuckSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One load of a dataset into one DuckDB table, all in a single transaction. */
final class TableLoad {
  private final DuckSession duck;
  private final Dataset dataset;
  private final String tableName;
  private final String table;
  private final String source;
  private long rows;

  TableLoad(DuckSession duck, Dataset dataset, String tableName) {
    this.duck = duck;
    this.dataset = dataset;
    this.tableName = tableName;
    this.table = qualified(tableName);
    this.source = readParquet(dataset.path());
  }

  /** Loads the rows; returns whether the table had to be created. */
  boolean run(LoadMode mode, List<String> key) throws SQLException {
    if (mode == LoadMode.UPSERT) {
      checkKey(key);
    }
    Connection conn = duck.connection();
    boolean existed = exists();
    conn.setAutoCommit(false);
    try {
      String[] parts = tableName.split("\\.");
      if (parts.length > 1) {
        String schema = qualified(String.join(".", Arrays.copyOf(parts, parts.length - 1)));
        duck.exec("CREATE SCHEMA IF NOT EXISTS " + schema);
      }
      if (mode == LoadMode.REPLACE && existed) {
        rows = duck.exec("CREATE OR REPLACE TABLE " + table + " AS " + selectInTableShape());
      } else {
        duck.exec(
            "CREATE TABLE IF NOT EXISTS " + table + " AS SELECT * FROM " + source + " LIMIT 0");
        if (mode == LoadMode.UPSERT) {
          duck.exec(deleteMatching(key));
        }
        rows = duck.exec("INSERT INTO " + table + " BY NAME SELECT * FROM " + source);
      }
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      rollback(conn, e);
      throw e;
    }
    return !existed;
  }

  /**
   * The dataset cast to the existing table's columns. Replace swaps in a new table rather than
   * deleting and inserting rows: with DuckDB 2.0 a reader on another connection was seen to count a
   * half-committed DELETE + INSERT, while a swapped table appears all at once.
   */
  private String selectInTableShape() throws SQLException {
    List<Dataset.Column> target = duck.columns("SELECT * FROM " + table);
    List<String> have =
        dataset.schema().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    List<String> wanted = target.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    for (Dataset.Column c : dataset.schema()) {
      if (!wanted.contains(c.name().toLowerCase(Locale.ROOT))) {
        throw TaskFailedException.permanent(
            "jdbc.load replace: dataset column '"
                + c.name()
                + "' is not in table "
                + tableName
                + " (its columns: "
                + target.stream().map(Dataset.Column::name).collect(Collectors.joining(", "))
                + "); add the column to the table or leave it out of the dataset");
      }
    }
    String select =
        target.stream()
            .map(c ->
                (have.contains(c.name().toLowerCase(Locale.ROOT))
                        ? "CAST(" + id(c.name())
                        : "CAST(NULL")
                    + " AS "
                    + c.type()
                    + ") AS "
                    + id(c.name()))
            .collect(Collectors.joining(", "));
    return "SELECT " + select + " FROM " + source;
  }

  long rows() {
    return rows;
  }

  private String deleteMatching(List<String> key) {
    String match =
        key.stream()
            .map(k -> "weir_target." + id(k) + " = weir_new." + id(k))
            .collect(Collectors.joining(" AND "));
    return "DELETE FROM "
        + table
        + " AS weir_target USING "
        + source
        + " AS weir_new WHERE "
        + match;
  }

  /** An upsert with two rows for one key, or a null key, would leave duplicates behind. */
  private void checkKey(List<String> key) throws SQLException {
    List<String> columns = dataset.schema().stream().map(Dataset.Column::name).toList();
    for (String k : key) {
      if (!columns.contains(k)) {
        throw TaskFailedException.permanent(
            "jdbc.load key column '"
                + k
                + "' is not in dataset '"
                + dataset.taskId()
                + "' (its columns: "
                + String.join(", ", columns)
                + "); fix key");
      }
    }
    String keyList = key.stream().map(k -> id(k)).collect(Collectors.joining(", "));
    long nulls =
        duck.queryLong(
            "SELECT count(*) FROM "
                + source
                + " WHERE "
                + key.stream().map(k -> id(k) + " IS NULL").collect(Collectors.joining(" OR ")));
    if (nulls > 0) {
      throw TaskFailedException.permanent(
          "jdbc.load upsert: "
              + nulls
              + " rows of dataset '"
              + dataset.taskId()
              + "' have a null in key ("
              + String.join(", ", key)
              + "), and a null key matches no row; filter them out upstream or"
              + " check with `notNull: ["
              + String.join(", ", key)
              + "]`");
    }
    String dups =
        "SELECT "
            + keyList
            + ", count(*) AS weir_n FROM "
            + source
            + " GROUP BY ALL HAVING count(*) > 1";
    long duplicated = duck.queryLong("SELECT count(*) FROM (" + dups + ")");
    if (duplicated > 0) {
      Map<String, Object> example =
          duck.rows(dups + " ORDER BY weir_n DESC, " + keyList, 1).getFirst();
      Object times = example.remove("weir_n");
      throw TaskFailedException.permanent(
          "jdbc.load upsert: dataset '"
              + dataset.taskId()
              + "' has "
              + duplicated
              + (duplicated == 1 ? " key" : " keys")
              + " that occur more than once, e.g. "
              + example
              + " occurs "
              + times
              + " times; an upsert needs one row per key ("
              + String.join(", ", key)
              + "). Deduplicate upstream, e.g. `QUALIFY row_number() OVER (PARTITION BY "
              + String.join(", ", key)
              + " ORDER BY updated_at DESC) = 1`");
    }
  }

  private boolean exists() throws SQLException {
    String[] parts = tableName.split("\\.");
    String name = parts[parts.length - 1];
    String schema = parts.length > 1 ? parts[parts.length - 2] : null;
    return duck.queryLong(
            "SELECT count(*) FROM information_schema.tables WHERE lower(table_name) = lower("
                + str(name)
                + ")"
                + (schema == null
                    ? " AND table_schema = current_schema()"
                    : " AND lower(table_schema) = lower(" + str(schema) + ")"))
        > 0;
  }

  private static void rollback(Connection conn, Exception cause) {
    try {
      conn.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
