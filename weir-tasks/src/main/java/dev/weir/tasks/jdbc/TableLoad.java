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
import java.util.stream.Collectors;

/**
 * One load of a dataset into one DuckDB table, in a single transaction. The table's schema (and the
 * loads table of appends) is created just before, on its own: it stays when the load fails.
 */
final class TableLoad {
  private final DuckSession duck;
  private final Dataset dataset;
  private final String tableName;
  private final String table;
  private String source;
  private long rows;

  private final dev.weir.task.TaskContext context;

  TableLoad(
      DuckSession duck, Dataset dataset, String tableName, dev.weir.task.TaskContext context) {
    this.context = context;
    this.duck = duck;
    this.dataset = dataset;
    this.tableName = tableName;
    this.table = qualified(tableName);
    this.source = readParquet(dataset.path());
  }

  /** Loads the rows; returns whether the table had to be created. */
  boolean run(LoadSpec spec) throws Exception {
    LoadMode mode = spec.mode();
    Connection conn = duck.connection();
    boolean existed = exists();
    if (existed) {
      addMissingColumns(spec.schemaChanges());
    }
    String loadId = context.runId() + "/" + context.taskId() + "/" + dataset.checksum();
    String[] parts = tableName.split("\\.");
    if (parts.length > 1) {
      String schema = qualified(String.join(".", Arrays.copyOf(parts, parts.length - 1)));
      createIfMissing("CREATE SCHEMA IF NOT EXISTS " + schema);
    }
    if (mode == LoadMode.APPEND) {
      createIfMissing(
          "CREATE TABLE IF NOT EXISTS "
              + DatabaseLoad.LOADS_TABLE
              + " (load_id VARCHAR, target VARCHAR, row_count BIGINT, loaded_at VARCHAR,"
              + " PRIMARY KEY (load_id, target))");
      if (duck.queryLong(
              "SELECT count(*) FROM "
                  + DatabaseLoad.LOADS_TABLE
                  + " WHERE load_id = "
                  + str(loadId)
                  + " AND target = "
                  + str(tableName))
          > 0) {
        rows = -1;
        return false;
      }
    }
    conn.setAutoCommit(false);
    try {
      if (mode == LoadMode.REPLACE && existed) {
        rows = duck.exec("CREATE OR REPLACE TABLE " + table + " AS " + selectInTableShape());
      } else {
        duck.exec(
            "CREATE TABLE IF NOT EXISTS " + table + " AS SELECT * FROM " + source + " LIMIT 0");
        if (mode == LoadMode.UPSERT) {
          duck.exec(deleteMatching(spec.key()));
        }
        if (mode == LoadMode.REPLACE_PARTITION) {
          duck.exec(
              "DELETE FROM "
                  + table
                  + " WHERE "
                  + id(spec.partition().column())
                  + "::VARCHAR = "
                  + str(spec.partition().value()));
        }
        rows = duck.exec("INSERT INTO " + table + " BY NAME SELECT * FROM " + source);
      }
      if (mode == LoadMode.APPEND) {
        duck.exec(
            "INSERT INTO "
                + DatabaseLoad.LOADS_TABLE
                + " VALUES ("
                + str(loadId)
                + ", "
                + str(tableName)
                + ", "
                + rows
                + ", "
                + str(context.clock().instant().toString())
                + ")");
      }
      // the letters first: too many, or letters that cannot be stored, leave the table as it was
      context.deadLetters().storeThenCommit(conn::commit);
    } catch (Exception e) {
      rollback(conn, e);
      // after a failed commit DuckDB has no transaction left, and switching back to auto-commit
      // fails with "no transaction is active": that must not hide the commit's own error
      try {
        conn.setAutoCommit(true);
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    }
    conn.setAutoCommit(true);
    return !existed;
  }

  /**
   * Loads again after {@link #run} failed on a bad row. DuckDB has no savepoints and gives up a
   * transaction at its first error, so the bad rows are found first by trial loads that are always
   * rolled back: a chunk at a time, and one row at a time in a chunk that fails (at most {@code
   * budget} rows). The load then runs as {@link #run} does, without them. Bad rows that only clash
   * with each other in different chunks (the same new key twice) are not found: the load fails.
   * When more rows were bad than {@code letters} allows, nothing is loaded: {@link #run} judges the
   * letters before it commits.
   */
  boolean runSifting(LoadSpec spec, dev.weir.deadletter.DeadLetters letters, int budget)
      throws Exception {
    boolean existed = exists();
    long total = dataset.rowCount();
    var bad = new java.util.ArrayList<Long>();
    long alone = 0;
    for (long from = 0; from < total; from += RowSifter.CHUNK) {
      long to = Math.min(total, from + RowSifter.CHUNK) - 1;
      if (trial(spec, existed, from, to) == null) {
        continue;
      }
      if (alone + (to - from + 1) > budget) {
        throw new TaskFailedException(
            "jdbc.load: more than rowRetryBudget "
                + budget
                + " rows would be tried one at a time to find the bad ones ("
                + alone
                + " so far, "
                + bad.size()
                + " bad); nothing was loaded. Fix the data, or raise rowRetryBudget (e.g."
                + " `rowRetryBudget: 100000`)",
            false,
            java.util.Map.of(),
            null);
      }
      alone += to - from + 1;
      for (long n = from; n <= to; n++) {
        SQLException e = trial(spec, existed, n, n);
        if (e != null) {
          bad.add(n);
          letters.reject(row(n), "row " + (n + 1) + ": " + RowErrors.oneLine(e));
        }
      }
    }
    source =
        numbered()
            + (bad.isEmpty()
                ? ""
                : " WHERE file_row_number NOT IN ("
                    + bad.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + ")")
            + ")";
    return run(spec);
  }

  /** The dataset's rows with their number, as a FROM item to close with ")" after a WHERE. */
  private String numbered() {
    return "(SELECT * EXCLUDE (file_row_number) FROM read_parquet("
        + dev.weir.tasks.duck.Sql.path(dataset.path())
        + ", file_row_number = true)";
  }

  /** Loads rows {@code from..to} and rolls back; the row error it met, or null. */
  private SQLException trial(LoadSpec spec, boolean existed, long from, long to)
      throws SQLException {
    Connection conn = duck.connection();
    String whole = source;
    source = numbered() + " WHERE file_row_number BETWEEN " + from + " AND " + to + ")";
    conn.setAutoCommit(false);
    try {
      if (spec.mode() == LoadMode.REPLACE && existed) {
        duck.queryLong("SELECT count(*) FROM (" + selectInTableShape() + ")");
      } else if (existed) {
        if (spec.mode() == LoadMode.UPSERT) {
          duck.exec(deleteMatching(spec.key()));
        }
        if (spec.mode() == LoadMode.REPLACE_PARTITION) {
          duck.exec(
              "DELETE FROM "
                  + table
                  + " WHERE "
                  + id(spec.partition().column())
                  + "::VARCHAR = "
                  + str(spec.partition().value()));
        }
        duck.exec("INSERT INTO " + table + " BY NAME SELECT * FROM " + source);
      }
      return null;
    } catch (SQLException e) {
      if (!RowErrors.isRowError(e)) {
        throw e;
      }
      return e;
    } finally {
      source = whole;
      try {
        conn.rollback();
      } finally {
        conn.setAutoCommit(true);
      }
    }
  }

  private java.util.Map<String, Object> row(long n) throws SQLException {
    var found = duck.rows("SELECT * FROM " + numbered() + " WHERE file_row_number = " + n + ")", 1);
    var out = new java.util.LinkedHashMap<String, Object>();
    if (!found.isEmpty()) {
      found
          .get(0)
          .forEach((k, v) ->
              out.put(
                  k,
                  v == null || v instanceof Number || v instanceof Boolean || v instanceof String
                      ? v
                      : v.toString()));
    }
    return out;
  }

  /**
   * Runs a {@code CREATE ... IF NOT EXISTS} on its own, before the load's transaction. Two tasks
   * loading into one DuckDB file at once may both create the same schema (or the loads table):
   * DuckDB lets one win and fails the other with a write-write conflict on the catalog, after which
   * the object exists and the statement succeeds when tried again.
   */
  private void createIfMissing(String ddl) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        duck.exec(ddl);
        return;
      } catch (SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (attempt >= 5 || !m.contains("write-write conflict")) {
          throw e;
        }
        try {
          Thread.sleep(10L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private void addMissingColumns(SchemaChanges changes) throws SQLException {
    List<Dataset.Column> target = duck.columns("SELECT * FROM " + table);
    List<String> names = target.stream().map(Dataset.Column::name).toList();
    List<Dataset.Column> missing = SchemaChanges.missing(dataset.schema(), names);
    if (missing.isEmpty()) {
      return;
    }
    changes.check(tableName, missing, names);
    for (Dataset.Column c : missing) {
      duck.exec("ALTER TABLE " + table + " ADD COLUMN " + id(c.name()) + " " + c.type());
    }
    context
        .logger()
        .info(
            "added "
                + missing.stream().map(Dataset.Column::name).collect(Collectors.joining(", "))
                + " to table "
                + tableName);
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
