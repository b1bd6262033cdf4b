package dev.weir.tasks.cdc;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.tasks.duck.Masking;
import dev.weir.tasks.jdbc.Databases;
import dev.weir.tasks.jdbc.SchemaChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Change data capture from MySQL or MariaDB (the binary log, in row format) into any Weir jdbc
 * target: an initial snapshot, then every insert, update and delete, applied in micro-batches by
 * primary key. A long-running task: it streams until cancelled, or until caught up.
 */
public final class CdcMysqlTask implements CdcTaskType<CdcMysqlTask.Config> {
  private static final long MAX_SERVER_ID = 4_294_967_295L;

  /**
   * @param connection the source: a jdbc connection of weir.yaml with a MariaDB or MySQL url
   * @param tables the source tables, as {@code database.table}
   * @param columns per table, the columns to {@code include} or {@code exclude}
   * @param mask per {@code database.table.column}: hash, redact or drop
   * @param maskSalt the secret hashes are salted with (needed with hash)
   * @param serverId the replica server id the task reads the binlog as; default derived from the
   *     task's namespace, flow and id (100000 to 999999)
   * @param snapshot copy the tables' rows first ({@code initial}, the default) or not ({@code
   *     never})
   * @param target where changes go: {@code {connection: warehouse, schema: raw}}
   * @param deletes {@code delete} (the default) or {@code soft}
   * @param maxBatch the most changes applied in one target transaction (default 10000)
   * @param maxLatency the longest a change waits to be batched (default 1s)
   * @param schemaChanges a new source column: {@code addColumns} to the target, or {@code fail}
   * @param onLostPosition the stored binlog position is gone: {@code resnapshot} or {@code fail}
   * @param stopWhen {@code never} (the default) or {@code caughtUp}
   * @param siftBudget with {@code deadLetter:}, the most trial writes one batch may take to find
   *     the changes the target refuses (default 1000)
   * @param truncates a source TRUNCATE: {@code fail} (the default), {@code apply} or {@code ignore}
   */
  public record Config(
      @Required(example = "source_mysql") String connection,
      @Required(example = "[shop.orders]") List<String> tables,
      Map<String, ColumnRules.Filter> columns,
      Map<String, Masking.Rule> mask,
      String maskSalt,
      Long serverId,
      CdcOptions.Snapshot snapshot,
      @Required(example = "{connection: warehouse, schema: raw}") CdcPostgresTask.Target target,
      CdcOptions.Deletes deletes,
      Integer maxBatch,
      String maxLatency,
      SchemaChanges schemaChanges,
      CdcOptions.OnLostPosition onLostPosition,
      CdcOptions.StopWhen stopWhen,
      Integer siftBudget,
      CdcOptions.Truncates truncates)
      implements CdcOptions.Settings {}

  @Override
  public String name() {
    return "cdc.mysql";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems =
        new ArrayList<>(
            CdcConfigChecks.problems(
                config.tables(),
                config.columns(),
                config.mask(),
                config.maskSalt(),
                config.maxBatch(),
                config.maxLatency(),
                config.siftBudget(),
                "database.table",
                "shop.orders"));
    if (config.serverId() != null && (config.serverId() < 1 || config.serverId() > MAX_SERVER_ID)) {
      problems.add(
          "serverId must be from 1 to "
              + MAX_SERVER_ID
              + " (a MySQL server id), not "
              + config.serverId()
              + "; leave it out to derive one from the task's name");
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    ConnectionConfig sourceConn = Databases.resolve(null, config.connection(), context);
    var rules =
        CdcTaskType.rules(config.tables(), config.columns(), config.mask(), config.maskSalt());
    long serverId =
        config.serverId() != null
            ? config.serverId()
            : MysqlSource.defaultServerId(context.namespace(), context.flowId(), context.taskId());
    var source =
        new MysqlSource(
            sourceConn,
            config.tables(),
            PostgresSource.defaultName(context.namespace(), context.flowId(), context.taskId()),
            serverId,
            rules);
    return CdcRun.run(source, CdcOptions.of(config, rules), context);
  }
}
