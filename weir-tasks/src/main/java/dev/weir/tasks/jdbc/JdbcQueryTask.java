package dev.weir.tasks.jdbc;

import dev.weir.config.ConnectionConfig;
import dev.weir.expr.Expressions;
import dev.weir.flow.Durations;
import dev.weir.task.Audit;
import dev.weir.task.Dataset;
import dev.weir.task.DatasetRef;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a script of SQL statements (DDL and DML) on a database, in one transaction by default: the
 * ELT half of a pipeline, where the warehouse does the work. With {@code fetch: true} the script's
 * last statement is a query whose rows become the task's dataset.
 */
public final class JdbcQueryTask implements TaskType<JdbcQueryTask.Config> {

  /**
   * @param sql the statements, separated by {@code ;}; {@code :name} parameters are bound from
   *     {@code params}
   * @param params values for the statements' {@code :name} parameters
   * @param transaction all statements in one transaction (the default), or each on its own
   * @param fetch the last statement is a query; its rows become the task's dataset
   * @param queryTimeout how long each statement may take, e.g. {@code 10m}
   */
  public record Config(
      String url,
      String connection,
      @Required(example = "DELETE FROM mart.daily WHERE day = :day") String sql,
      Map<String, Object> params,
      Boolean transaction,
      Boolean fetch,
      String queryTimeout) {

    boolean inTransaction() {
      return transaction == null || transaction;
    }

    boolean fetches() {
      return fetch != null && fetch;
    }
  }

  @Override
  public String name() {
    return "jdbc.query";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    String target =
        Databases.exactlyOne(
            config.url(),
            config.connection(),
            "`connection: warehouse` (named in weir.yaml) or `url: jdbc:postgresql://host/db`");
    if (target != null) {
      problems.add(target);
    }
    if (config.sql() != null
        && !Expressions.isTemplate(config.sql())
        && SqlScript.split(config.sql(), false).isEmpty()) {
      problems.add("sql holds no statement; write at least one, e.g. `sql: ANALYZE orders`");
    }
    if (config.queryTimeout() != null && !Expressions.isTemplate(config.queryTimeout())) {
      try {
        Durations.parse(config.queryTimeout());
      } catch (RuntimeException e) {
        problems.add(
            "queryTimeout '" + config.queryTimeout() + "' is not a duration; use e.g. 10m");
      }
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    ConnectionConfig target =
        Databases.located(Databases.resolve(config.url(), config.connection(), context), context);
    Dialect dialect = Dialect.of(target.url());
    List<SqlScript.Statement> statements = SqlScript.split(config.sql(), dialect == Dialect.MYSQL);
    if (statements.isEmpty()) {
      throw TaskFailedException.permanent("sql holds no statement to run");
    }
    Duration timeout =
        config.queryTimeout() == null ? null : Durations.parse(config.queryTimeout());
    Map<String, Object> params = config.params() == null ? Map.of() : config.params();
    SqlScript.Statement query = config.fetches() ? statements.getLast() : null;
    List<SqlScript.Statement> script =
        query == null ? statements : statements.subList(0, statements.size() - 1);

    if (config.inTransaction() && (dialect == Dialect.MYSQL || dialect == Dialect.H2)) {
      warnImplicitCommits(script, dialect, context);
    }
    var runner = new ScriptRunner(dialect, timeout, params, context);
    context.onCancel(runner::cancel);
    List<Long> affected;
    try (Connection conn = Databases.open(target, context)) {
      affected = runner.run(conn, script, config.inTransaction());
    } catch (SQLException e) {
      throw runner.isCancelled()
          ? new TaskFailedException("jdbc.query cancelled")
          : Databases.failure(target, e, context);
    }
    long written = affected.stream().filter(n -> n > 0).mapToLong(Long::longValue).sum();
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("statements", statements.size());
    outputs.put("rowsAffected", affected);
    Audit audit = Audit.NONE.written(written);
    for (String t : SourceTables.of(null, config.sql())) {
      audit = audit.input(DatasetRef.table(target.url(), t));
    }
    if (query == null) {
      return TaskResult.of(outputs).withAudit(audit);
    }
    Dataset dataset = new QueryFetch(target, dialect, timeout, context).fetch(query, params);
    outputs.put("rows", dataset.rowCount());
    context
        .logger()
        .info(
            String.format(
                Locale.ROOT,
                "statement %d (%s): %,d rows fetched",
                query.number(),
                query.firstLine(),
                dataset.rowCount()));
    return TaskResult.of(dataset, outputs).withAudit(audit.read(dataset.rowCount()));
  }

  /**
   * MariaDB, MySQL and H2 commit at every DDL statement, so the transaction cannot undo what came
   * before it: say so before running, naming the statements.
   */
  private static void warnImplicitCommits(
      List<SqlScript.Statement> script, Dialect dialect, TaskContext context) {
    List<String> ddl =
        script.stream()
            .filter(s -> DDL.matcher(s.sql()).lookingAt())
            .map(s -> "statement " + s.number() + " (" + s.firstLine() + ")")
            .toList();
    if (!ddl.isEmpty() && script.size() > 1) {
      context
          .logger()
          .warn(
              (dialect == Dialect.H2 ? "H2" : "MariaDB/MySQL")
                  + " commits at every DDL statement, so a failure after "
                  + String.join(", ", ddl)
                  + " cannot roll back what ran before it; keep DDL in its own task or make it"
                  + " idempotent (CREATE TABLE IF NOT EXISTS)");
    }
  }

  private static final java.util.regex.Pattern DDL =
      java.util.regex.Pattern.compile("(?i)(CREATE|ALTER|DROP|TRUNCATE|RENAME)\\b");
}
