package dev.weir.tasks.cdc;

import dev.weir.config.ConnectionConfig;
import dev.weir.expr.Expressions;
import dev.weir.flow.Durations;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.Masking;
import dev.weir.tasks.jdbc.Databases;
import dev.weir.tasks.jdbc.SchemaChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Change data capture from PostgreSQL (logical decoding, pgoutput) into any Weir jdbc target: an
 * initial snapshot, then every insert, update and delete, applied in micro-batches by primary key.
 * A long-running task: it streams until cancelled, or until caught up.
 */
public final class CdcPostgresTask implements TaskType<CdcPostgresTask.Config> {

  /**
   * @param connection the source: a jdbc connection of weir.yaml with a PostgreSQL url
   * @param tables the source tables, as {@code schema.table}
   * @param columns per table, the columns to {@code include} or {@code exclude}
   * @param mask per {@code schema.table.column}: hash, redact or drop
   * @param maskSalt the secret hashes are salted with (needed with hash)
   * @param slot the replication slot; default {@code weir_<namespace>_<flow>_<task>}
   * @param publication the publication; default as the slot
   * @param snapshot copy the tables' rows first ({@code initial}, the default) or not ({@code
   *     never})
   * @param target where changes go: {@code {connection: warehouse, schema: raw}}
   * @param deletes {@code delete} (the default) or {@code soft}
   * @param maxBatch the most changes applied in one target transaction (default 10000)
   * @param maxLatency the longest a change waits to be batched (default 1s)
   * @param schemaChanges a new source column: {@code addColumns} to the target, or {@code fail}
   * @param onLostPosition the stored position is gone: {@code resnapshot} or {@code fail}
   * @param stopWhen {@code never} (the default) or {@code caughtUp}
   */
  public record Config(
      @Required(example = "source_pg") String connection,
      @Required(example = "[public.orders]") List<String> tables,
      Map<String, ColumnRules.Filter> columns,
      Map<String, Masking.Rule> mask,
      String maskSalt,
      String slot,
      String publication,
      CdcOptions.Snapshot snapshot,
      @Required(example = "{connection: warehouse, schema: raw}") Target target,
      CdcOptions.Deletes deletes,
      Integer maxBatch,
      String maxLatency,
      SchemaChanges schemaChanges,
      CdcOptions.OnLostPosition onLostPosition,
      CdcOptions.StopWhen stopWhen) {}

  /**
   * @param connection a jdbc connection of weir.yaml: PostgreSQL, MariaDB/MySQL or DuckDB
   * @param schema the schema (MariaDB: database) the tables are written to
   */
  public record Target(@Required(example = "warehouse") String connection, String schema) {}

  @Override
  public String name() {
    return "cdc.postgres";
  }

  /** A stream: under {@code weir server} a flow of it without triggers is kept running. */
  @Override
  public boolean runsContinuously() {
    return true;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    if (config.tables() != null) {
      if (config.tables().isEmpty()) {
        problems.add("tables is empty; name at least one, e.g. `tables: [public.orders]`");
      }
      var names = new java.util.HashSet<String>();
      for (String t : config.tables()) {
        if (t == null || !t.matches("[^.]+\\.[^.]+")) {
          problems.add(
              "tables: '"
                  + t
                  + "' is not schema.table; write e.g. public."
                  + (t == null ? "orders" : t));
        } else if (!names.add(t.substring(t.indexOf('.') + 1))) {
          problems.add(
              "tables: two tables are named "
                  + t.substring(t.indexOf('.') + 1)
                  + "; each becomes a target table of that name, so give one of them a task of"
                  + " its own with another target schema");
        }
      }
      if (config.columns() != null) {
        config
            .columns()
            .forEach((table, f) -> {
              if (!config.tables().contains(table)) {
                problems.add(
                    "columns: "
                        + table
                        + " is not one of tables ("
                        + String.join(", ", config.tables())
                        + ")");
              } else if (f == null || (f.include() == null) == (f.exclude() == null)) {
                problems.add(
                    "columns."
                        + table
                        + ": give include or exclude (not both), e.g. `{exclude: [ssn]}`");
              }
            });
      }
    }
    problems.addAll(Masking.validate(config.mask(), config.maskSalt()));
    if (config.maxBatch() != null && config.maxBatch() < 1) {
      problems.add("maxBatch must be at least 1, not " + config.maxBatch());
    }
    if (config.maxLatency() != null && !Expressions.isTemplate(config.maxLatency())) {
      try {
        Durations.parse(config.maxLatency());
      } catch (RuntimeException e) {
        problems.add("maxLatency '" + config.maxLatency() + "' is not a duration; use e.g. 1s");
      }
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    ConnectionConfig sourceConn = Databases.resolve(null, config.connection(), context);
    var rules =
        new ColumnRules(
            config.columns() == null ? Map.of() : config.columns(),
            ColumnRules.masksByTable(config.mask(), config.tables()),
            config.maskSalt());
    String slot =
        config.slot() != null
            ? config.slot()
            : PostgresSource.defaultName(context.namespace(), context.flowId(), context.taskId());
    var source =
        new PostgresSource(
            sourceConn,
            config.tables(),
            slot,
            config.publication() == null ? slot : config.publication(),
            rules);
    return CdcRun.run(source, options(config, rules), context);
  }

  private static CdcOptions options(Config config, ColumnRules rules) {
    return new CdcOptions(
        config.target().connection(),
        config.target().schema(),
        config.deletes() == null ? CdcOptions.Deletes.DELETE : config.deletes(),
        config.maxBatch() == null ? CdcOptions.DEFAULT_MAX_BATCH : config.maxBatch(),
        config.maxLatency() == null
            ? CdcOptions.DEFAULT_MAX_LATENCY
            : Durations.parse(config.maxLatency()),
        config.schemaChanges() == null ? SchemaChanges.ADD_COLUMNS : config.schemaChanges(),
        config.onLostPosition() == null ? CdcOptions.OnLostPosition.FAIL : config.onLostPosition(),
        config.stopWhen() == null ? CdcOptions.StopWhen.NEVER : config.stopWhen(),
        config.snapshot() == null ? CdcOptions.Snapshot.INITIAL : config.snapshot(),
        rules);
  }
}
