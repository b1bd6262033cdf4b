package dev.weir.tasks.jdbc;

import dev.weir.task.Dataset;
import dev.weir.task.TaskContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One load of a dataset into a PostgreSQL, MariaDB/MySQL, H2, SQLite or other JDBC table, in a
 * single transaction: readers see the table before or after the load, never during it.
 */
final class DatabaseLoad {
  static final String LOADS_TABLE = "weir_loads";

  private final Connection conn;
  private final Dialect dialect;
  private final TargetTable target;
  private final AppendLedger ledger;
  private final DatasetSource source;
  private final TaskContext context;
  private boolean created;
  private boolean failedAtCommit;
  private List<String> added = List.of();
  private List<String> tableColumns;

  DatabaseLoad(
      Connection conn, Dialect dialect, String table, DatasetSource source, TaskContext context) {
    this.conn = conn;
    this.dialect = dialect;
    this.target = new TargetTable(table, dialect);
    this.ledger = new AppendLedger(conn, dialect, this.target.name);
    this.source = source;
    this.context = context;
  }

  boolean created() {
    return created;
  }

  List<String> addedColumns() {
    return added;
  }

  /** Loads; returns the rows written, or -1 when this run had loaded them already (append). */
  long run(LoadSpec spec) throws Exception {
    prepareTable(spec);
    conn.setAutoCommit(false);
    try {
      long rows;
      String loadId = context.runId() + "/" + context.taskId() + "/" + source.checksum();
      if (spec.mode() == LoadMode.APPEND && ledger.contains(loadId)) {
        conn.rollback();
        conn.setAutoCommit(true);
        return -1;
      }
      clear(spec);
      rows = spec.mode() == LoadMode.UPSERT ? upsert(spec.key()) : insertAll();
      if (spec.mode() == LoadMode.APPEND) {
        ledger.add(loadId, rows, context.clock().instant());
      }
      commit();
      return rows;
    } catch (Exception e) {
      try {
        conn.rollback();
        conn.setAutoCommit(true);
      } catch (SQLException r) {
        // on a connection the failure broke, HikariCP answers "Connection is closed": the
        // failure itself (the server shut down, SQLSTATE 57P01) is what the task must report
        e.addSuppressed(r);
      }
      throw e;
    }
  }

  /**
   * Loads again after {@link #run} failed on a bad row: in one transaction, as {@link #run} does,
   * but with statements per row (no COPY) so that {@link RowSifter} can set the bad rows aside.
   * When more rows were bad than {@code letters} allows, nothing is loaded: the letters are judged
   * (and stored) before the target commits, and the task fails.
   *
   * @return the rows written, or -1 when this run had loaded them already (append)
   */
  long runSifting(LoadSpec spec, dev.weir.deadletter.DeadLetters letters, int budget)
      throws Exception {
    prepareTable(spec);
    conn.setAutoCommit(false);
    try {
      String loadId = context.runId() + "/" + context.taskId() + "/" + source.checksum();
      if (spec.mode() == LoadMode.APPEND && ledger.contains(loadId)) {
        conn.rollback();
        conn.setAutoCommit(true);
        return -1;
      }
      clear(spec);
      List<BatchWrite.Step> steps =
          spec.mode() == LoadMode.UPSERT ? upsertSteps(spec.key()) : List.of(insertStep());
      long rows = new RowSifter(conn, source, dialect, steps, letters, budget, context).run();
      if (spec.mode() == LoadMode.APPEND) {
        ledger.add(loadId, rows, context.clock().instant());
      }
      commit();
      return rows;
    } catch (Exception e) {
      try {
        conn.rollback();
        conn.setAutoCommit(true);
      } catch (SQLException r) {
        e.addSuppressed(r);
      }
      throw e;
    }
  }

  /** Whether the last load failed at its commit, after every row was written (a deferred check). */
  boolean failedAtCommit() {
    return failedAtCommit;
  }

  // the letters first: too many, or letters that cannot be stored, leave the target as it was
  private void commit() throws Exception {
    failedAtCommit = false;
    context
        .deadLetters()
        .storeThenCommit(() -> {
          try {
            conn.commit();
          } catch (SQLException e) {
            failedAtCommit = true;
            throw e;
          }
        });
    conn.setAutoCommit(true);
  }

  /** What replace and replacePartition remove first, in the load's transaction. */
  private void clear(LoadSpec spec) throws SQLException {
    if (spec.mode() == LoadMode.REPLACE) {
      exec("DELETE FROM " + target.sql());
    } else if (spec.mode() == LoadMode.REPLACE_PARTITION) {
      try (PreparedStatement ps =
          conn.prepareStatement(
              "DELETE FROM "
                  + target.sql()
                  + " WHERE "
                  + column(spec.partition().column())
                  + " = ?")) {
        ps.setObject(1, spec.partition().value());
        ps.executeUpdate();
      }
    }
  }

  /** The statements that upsert one row, on any database. */
  private List<BatchWrite.Step> upsertSteps(List<String> key) throws SQLException {
    List<String> names = source.names();
    boolean unique = target.hasUniqueKey(conn, key);
    String cols = names.stream().map(this::column).collect(Collectors.joining(", "));
    String marks = names.stream().map(n -> "?").collect(Collectors.joining(", "));
    List<String> others = names.stream().filter(n -> !containsIgnoreCase(key, n)).toList();
    int[] all = IntStream.range(0, names.size()).toArray();
    String insert = "INSERT INTO " + target.sql() + " (" + cols + ") VALUES (" + marks + ")";
    if (dialect == Dialect.POSTGRES && unique) {
      return List.of(
          new BatchWrite.Step(
              insert
                  + " ON CONFLICT ("
                  + key.stream().map(this::column).collect(Collectors.joining(", "))
                  + ") "
                  + (others.isEmpty()
                      ? "DO NOTHING"
                      : "DO UPDATE SET "
                          + others.stream()
                              .map(n -> column(n) + " = EXCLUDED." + column(n))
                              .collect(Collectors.joining(", "))),
              all));
    }
    if (dialect == Dialect.MYSQL && unique) {
      String update =
          others.isEmpty()
              ? column(key.getFirst()) + " = " + column(key.getFirst())
              : others.stream()
                  .map(n -> column(n) + " = VALUES(" + column(n) + ")")
                  .collect(Collectors.joining(", "));
      return List.of(new BatchWrite.Step(insert + " ON DUPLICATE KEY UPDATE " + update, all));
    }
    if (dialect == Dialect.H2) {
      return List.of(
          new BatchWrite.Step(
              "MERGE INTO "
                  + target.sql()
                  + " ("
                  + cols
                  + ") KEY ("
                  + key.stream().map(this::column).collect(Collectors.joining(", "))
                  + ") VALUES ("
                  + marks
                  + ")",
              all));
    }
    int[] keyIndexes = key.stream().mapToInt(k -> indexOf(names, k)).toArray();
    String delete =
        "DELETE FROM "
            + target.sql()
            + " WHERE "
            + key.stream().map(k -> column(k) + " = ?").collect(Collectors.joining(" AND "));
    return List.of(new BatchWrite.Step(delete, keyIndexes), new BatchWrite.Step(insert, all));
  }

  private void prepareTable(LoadSpec spec) throws SQLException {
    if (spec.mode() == LoadMode.APPEND) {
      ledger.ensure();
    }
    Map<String, String> existing = target.columns(conn);
    if (existing.isEmpty()) {
      create(spec);
      created = true;
      tableColumns = null;
      return;
    }
    List<Dataset.Column> missing = SchemaChanges.missing(source.columns(), existing.keySet());
    if (missing.isEmpty()) {
      return;
    }
    spec.schemaChanges().check(target.name, missing, existing.keySet());
    for (Dataset.Column c : missing) {
      exec(
          "ALTER TABLE "
              + target.sql()
              + " ADD COLUMN "
              + dialect.quote(dialect.created(c.name()))
              + " "
              + dialect.columnType(c.type(), false));
    }
    added = missing.stream().map(Dataset.Column::name).toList();
    tableColumns = null;
    context.logger().info("added " + String.join(", ", added) + " to table " + target.name);
  }

  private void create(LoadSpec spec) throws SQLException {
    if (target.schema != null && dialect != Dialect.MYSQL) {
      exec("CREATE SCHEMA IF NOT EXISTS " + dialect.quote(dialect.created(target.schema)));
    }
    var keys = spec.key() == null ? List.<String>of() : spec.key();
    var defs = new ArrayList<String>();
    for (Dataset.Column c : source.columns()) {
      boolean isKey = keys.stream().anyMatch(k -> k.equalsIgnoreCase(c.name()));
      defs.add(
          dialect.quote(dialect.created(c.name()))
              + " "
              + dialect.columnType(c.type(), isKey)
              + (isKey ? " NOT NULL" : ""));
    }
    if (!keys.isEmpty()) {
      defs.add(
          "PRIMARY KEY ("
              + keys.stream()
                  .map(k -> dialect.quote(dialect.created(k)))
                  .collect(Collectors.joining(", "))
              + ")");
    }
    exec("CREATE TABLE " + target.sql() + " (" + String.join(", ", defs) + ")");
  }

  private long insertAll() throws Exception {
    if (dialect == Dialect.POSTGRES) {
      return PgCopy.copy(conn, target.sql(), source, context);
    }
    return BatchWrite.run(conn, source, dialect, List.of(insertStep()), context);
  }

  private BatchWrite.Step insertStep() {
    List<String> names = source.names();
    return new BatchWrite.Step(
        "INSERT INTO "
            + target.sql()
            + " ("
            + names.stream().map(this::column).collect(Collectors.joining(", "))
            + ") VALUES ("
            + names.stream().map(n -> "?").collect(Collectors.joining(", "))
            + ")",
        IntStream.range(0, names.size()).toArray());
  }

  private long upsert(List<String> key) throws Exception {
    if (dialect == Dialect.POSTGRES) {
      return pgUpsert(key, source.names(), target.hasUniqueKey(conn, key));
    }
    // MySQL with a unique key: ON DUPLICATE KEY UPDATE; H2: MERGE; any other database: delete
    // the rows with the same key, then insert, batch by batch
    return BatchWrite.run(conn, source, dialect, upsertSteps(key), context);
  }

  /** COPY into a temporary table, then one INSERT … ON CONFLICT (or DELETE + INSERT). */
  private long pgUpsert(List<String> key, List<String> names, boolean unique) throws Exception {
    String cols = names.stream().map(this::column).collect(Collectors.joining(", "));
    exec(
        "CREATE TEMP TABLE weir_upsert ON COMMIT DROP AS SELECT "
            + cols
            + " FROM "
            + target.sql()
            + " WITH NO DATA");
    long rows = PgCopy.copy(conn, "weir_upsert", source, context);
    String keys = key.stream().map(this::column).collect(Collectors.joining(", "));
    if (unique) {
      List<String> others = names.stream().filter(n -> !containsIgnoreCase(key, n)).toList();
      exec(
          "INSERT INTO "
              + target.sql()
              + " ("
              + cols
              + ") SELECT "
              + cols
              + " FROM weir_upsert ON CONFLICT ("
              + keys
              + ") "
              + (others.isEmpty()
                  ? "DO NOTHING"
                  : "DO UPDATE SET "
                      + others.stream()
                          .map(n -> column(n) + " = EXCLUDED." + column(n))
                          .collect(Collectors.joining(", "))));
    } else {
      exec(
          "DELETE FROM "
              + target.sql()
              + " t USING weir_upsert s WHERE "
              + key.stream()
                  .map(k -> "t." + column(k) + " = s." + column(k))
                  .collect(Collectors.joining(" AND ")));
      exec("INSERT INTO " + target.sql() + " (" + cols + ") SELECT " + cols + " FROM weir_upsert");
    }
    return rows;
  }

  private String column(String name) {
    return dialect.quote(actual(name));
  }

  /** The table's own spelling of a column, so quoting matches what the database stored. */
  private String actual(String name) {
    try {
      if (tableColumns == null) {
        tableColumns = List.copyOf(target.columns(conn).keySet());
      }
      for (String c : tableColumns) {
        if (c.equalsIgnoreCase(name)) {
          return c;
        }
      }
    } catch (SQLException e) {
      // fall back to the dataset's spelling
    }
    return dialect.created(name);
  }

  private static boolean containsIgnoreCase(List<String> names, String name) {
    return names.stream().anyMatch(n -> n.equalsIgnoreCase(name));
  }

  private static int indexOf(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(name);
  }

  private void exec(String sql) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute(sql);
    }
  }
}
