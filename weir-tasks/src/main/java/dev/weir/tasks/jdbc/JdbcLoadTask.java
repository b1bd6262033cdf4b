package dev.weir.tasks.jdbc;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.Audit;
import dev.weir.task.Dataset;
import dev.weir.task.DatasetRef;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Masking;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Properties;

/**
 * Loads a dataset into a database table (PostgreSQL, MariaDB/MySQL, H2, SQLite, DuckDB or any JDBC
 * database): append, replace, upsert or replacePartition, each in one transaction.
 */
public final class JdbcLoadTask implements TaskType<JdbcLoadTask.Config> {
  /**
   * @param url a JDBC URL; give it or {@code connection}
   * @param connection a connection named in weir.yaml; give it or {@code url}
   * @param table may be schema-qualified, e.g. {@code analytics.orders}
   * @param mode defaults to append
   * @param key the columns that identify a row; required for upsert
   * @param partition the slice replacePartition replaces, e.g. {@code {column: day, value: ...}}
   * @param schemaChanges what to do when the dataset has columns the table lacks; defaults to fail
   * @param mask PII rules applied before the rows leave Weir: column → hash, redact or drop
   * @param maskSalt the secret salt of {@code hash}
   * @param rowRetryBudget with {@code deadLetter:}, the most rows written one at a time to find the
   *     bad ones after a load failed on one; defaults to 10,000
   */
  public record Config(
      @Required(example = "shape") String dataset,
      String url,
      String connection,
      @Required(example = "analytics.orders") String table,
      LoadMode mode,
      List<String> key,
      Partition partition,
      SchemaChanges schemaChanges,
      java.util.Map<String, Masking.Rule> mask,
      String maskSalt,
      Integer rowRetryBudget) {

    static final int DEFAULT_ROW_RETRY_BUDGET = 10_000;

    int budget() {
      return rowRetryBudget == null ? DEFAULT_ROW_RETRY_BUDGET : rowRetryBudget;
    }

    LoadMode effectiveMode() {
      return mode == null ? LoadMode.APPEND : mode;
    }

    LoadSpec spec() {
      return new LoadSpec(
          effectiveMode(),
          key,
          partition,
          schemaChanges == null ? SchemaChanges.FAIL : schemaChanges);
    }
  }

  /**
   * @param column the column that names the slice, e.g. {@code day}
   * @param value the slice's value, e.g. {@code "{{ inputs.day }}"}
   */
  public record Partition(
      @Required(example = "day") String column,
      @Required(example = "'{{ inputs.day }}'") String value) {}

  @Override
  public String name() {
    return "jdbc.load";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public boolean setsRecordsAside() {
    return true;
  }

  @Override
  public List<String> datasetInputs(Config config) {
    return List.of(config.dataset());
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    String target =
        Databases.exactlyOne(
            config.url(),
            config.connection(),
            "`url: jdbc:duckdb:warehouse.duckdb` or `connection: warehouse` (a connection named in weir.yaml)");
    if (target != null) {
      problems.add(target);
    }
    if (config.table() != null && !config.table().matches("[^.]+(\\.[^.]+){0,2}")) {
      problems.add(
          "table '"
              + config.table()
              + "' is not a table name; use `table: orders` or `table: analytics.orders`");
    }
    if (config.rowRetryBudget() != null && config.rowRetryBudget() < 0) {
      problems.add(
          "rowRetryBudget must be 0 or more, got "
              + config.rowRetryBudget()
              + "; e.g. `rowRetryBudget: 10000`");
    }
    boolean partitioned = config.effectiveMode() == LoadMode.REPLACE_PARTITION;
    if (partitioned && config.partition() == null) {
      problems.add(
          "mode replacePartition needs partition: the slice to replace, e.g. `partition: {column:"
              + " day, value: \"{{ inputs.day }}\"}`");
    }
    if (!partitioned && config.partition() != null) {
      problems.add(
          "partition is only used by mode replacePartition; set `mode: replacePartition` or remove"
              + " partition");
    }
    boolean hasKey = config.key() != null && !config.key().isEmpty();
    if (config.effectiveMode() == LoadMode.UPSERT && !hasKey) {
      problems.add(
          "mode upsert needs key: the columns that identify a row, e.g. `key: [order_id]`");
    }
    if (config.effectiveMode() != LoadMode.UPSERT && hasKey) {
      problems.add(
          "key is only used by mode upsert (mode here is "
              + dev.weir.flow.ConfigBinder.lowerCamel(config.effectiveMode().name())
              + "); set `mode: upsert` or remove key");
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Dataset dataset = context.dataset(config.dataset());
    if (config.mask() != null) {
      dataset = masked(dataset, config, context);
    }
    LoadSpec spec = config.spec();
    ConnectionConfig target = Databases.resolve(config.url(), config.connection(), context);
    if (spec.mode() == LoadMode.UPSERT || spec.mode() == LoadMode.REPLACE_PARTITION) {
      try (DuckSession duck = DuckSession.memory(context)) {
        if (spec.mode() == LoadMode.UPSERT) {
          KeyCheck.check(duck, dataset, spec.key());
        } else {
          KeyCheck.partition(duck, dataset, spec.partition());
        }
      }
    }
    context.deadLetters().handled(dataset.rowCount());
    long rows;
    boolean created;
    List<String> added = List.of();
    if (DuckTarget.isDuckDb(target.url())) {
      String url = DuckTarget.resolve(target.url(), context.workDir());
      DuckTarget.ensureParentDir(url);
      var properties = new Properties();
      properties.putAll(target.properties());
      try (DuckSession duck = DuckSession.open(url, properties, context)) {
        var load = new TableLoad(duck, dataset, config.table(), context);
        try {
          created = load.run(spec);
        } catch (SQLException e) {
          if (!context.deadLetters().enabled() || !RowErrors.isRowError(e)) {
            throw e;
          }
          context
              .logger()
              .warn(
                  context.mask(
                      "jdbc.load into "
                          + config.table()
                          + " failed on a bad row ("
                          + RowErrors.oneLine(e)
                          + "); trying the rows in chunks to set the bad ones aside"));
          created = load.runSifting(spec, context.deadLetters(), config.budget());
        }
        rows = load.rows();
      }
    } else {
      try (Connection conn = Databases.open(target, context)) {
        var source = new DatasetSource(dataset, dataset.schema());
        var load =
            new DatabaseLoad(conn, Dialect.of(target.url()), config.table(), source, context);
        try {
          rows = load.run(spec);
        } catch (SQLException e) {
          // a check deferred to the commit names no row: there is none to set aside
          if (!context.deadLetters().enabled()
              || !RowErrors.isRowError(e)
              || load.failedAtCommit()) {
            throw loadFailure(config, target, e, context);
          }
          context
              .logger()
              .warn(
                  context.mask(
                      "jdbc.load into "
                          + config.table()
                          + " failed on a bad row ("
                          + RowErrors.oneLine(e)
                          + "); loading again row by row to set the bad rows aside"));
          try {
            rows = load.runSifting(spec, context.deadLetters(), config.budget());
          } catch (SQLException again) {
            throw loadFailure(config, target, again, context);
          }
        }
        created = load.created();
        added = load.addedColumns();
      }
    }
    if (created) {
      context
          .logger()
          .info(
              "created table "
                  + config.table()
                  + " from the schema of dataset '"
                  + config.dataset()
                  + "'");
    }
    boolean skipped = rows < 0;
    if (skipped) {
      // the letters of the run that loaded it stay
      context.deadLetters().keepEarlier();
      context
          .logger()
          .info(
              "this run appended dataset '"
                  + config.dataset()
                  + "' to "
                  + config.table()
                  + " already; not appending it twice");
      rows = 0;
    }
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("rows", rows);
    outputs.put("table", config.table());
    outputs.put("mode", dev.weir.flow.ConfigBinder.lowerCamel(spec.mode().name()));
    outputs.put("created", created);
    outputs.put("addedColumns", added);
    outputs.put("alreadyLoaded", skipped);
    Audit audit =
        Audit.NONE
            .written(rows)
            .rejected(context.deadLetters().rejected())
            .checksum(dataset.checksum())
            .output(DatasetRef.table(where(target, context), config.table()).withRows(rows));
    return TaskResult.of(outputs).withAudit(audit);
  }

  private static String where(ConnectionConfig target, TaskContext context) {
    return DuckTarget.isDuckDb(target.url())
        ? DuckTarget.resolve(target.url(), context.workDir())
        : target.url();
  }

  /** The dataset with the mask applied, staged beside this task's other files. */
  private static Dataset masked(Dataset dataset, Config config, TaskContext context)
      throws SQLException {
    java.nio.file.Path out = context.stagingDir().resolve("masked.parquet");
    try (DuckSession duck = DuckSession.memory(context)) {
      String select =
          Masking.select(
              dev.weir.tasks.duck.Sql.readParquet(dataset.path()),
              dataset.schema(),
              config.mask(),
              config.maskSalt());
      duck.exec(
          "COPY (" + select + ") TO " + dev.weir.tasks.duck.Sql.path(out) + " (FORMAT parquet)");
      return duck.dataset(dataset.taskId(), out);
    }
  }

  private static TaskFailedException loadFailure(
      Config config, ConnectionConfig target, SQLException e, TaskContext context) {
    String kept = dev.weir.deadletter.CommitOutcome.keptNote(e);
    String message =
        "jdbc.load into "
            + config.table()
            + " of "
            + (target.name() == null ? Databases.redact(target.url()) : "'" + target.name() + "'")
            + (kept == null
                ? " failed, nothing was loaded: " + dev.weir.tasks.duck.Sql.message(e)
                : " failed at its commit: " + dev.weir.tasks.duck.Sql.message(e) + "; " + kept);
    return Databases.statementFailure(context.mask(Databases.scrub(message, target)), e);
  }
}
