package dev.weir.tasks.cdc;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.tasks.duck.Masking;
import dev.weir.tasks.jdbc.Databases;
import dev.weir.tasks.jdbc.SchemaChanges;
import java.util.List;
import java.util.Map;

/**
 * Change data capture from PostgreSQL (logical decoding, pgoutput) into any Weir jdbc target: an
 * initial snapshot, then every insert, update and delete, applied in micro-batches by primary key.
 * A long-running task: it streams until cancelled, or until caught up.
 */
public final class CdcPostgresTask implements CdcTaskType<CdcPostgresTask.Config> {

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
   * @param siftBudget with {@code deadLetter:}, the most trial writes one batch may take to find
   *     the changes the target refuses (default 1000)
   * @param truncates a source TRUNCATE: {@code fail} (the default), {@code apply} or {@code ignore}
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
      CdcOptions.StopWhen stopWhen,
      Integer siftBudget,
      CdcOptions.Truncates truncates)
      implements CdcOptions.Settings {}

  /**
   * @param connection a jdbc connection of weir.yaml: PostgreSQL, MariaDB/MySQL or DuckDB
   * @param schema the schema (MariaDB: database) the tables are written to
   */
  public record Target(@Required(example = "warehouse") String connection, String schema) {}

  @Override
  public String name() {
    return "cdc.postgres";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    return CdcConfigChecks.problems(
        config.tables(),
        config.columns(),
        config.mask(),
        config.maskSalt(),
        config.maxBatch(),
        config.maxLatency(),
        config.siftBudget(),
        "schema.table",
        "public.orders");
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    ConnectionConfig sourceConn = Databases.resolve(null, config.connection(), context);
    var rules =
        CdcTaskType.rules(config.tables(), config.columns(), config.mask(), config.maskSalt());
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
    return CdcRun.run(source, CdcOptions.of(config, rules), context);
  }
}
