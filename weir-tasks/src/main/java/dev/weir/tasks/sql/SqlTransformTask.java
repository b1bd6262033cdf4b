package dev.weir.tasks.sql;

import static dev.weir.tasks.duck.Sql.id;
import static dev.weir.tasks.duck.Sql.path;
import static dev.weir.tasks.duck.Sql.readParquet;

import dev.weir.task.Dataset;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Masking;
import dev.weir.tasks.duck.Sql;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeSet;

/** Runs one DuckDB query over the upstream datasets, each a table named by its task id. */
public final class SqlTransformTask implements TaskType<SqlTransformTask.Config> {
  /**
   * @param mask PII rules applied to the query's result: column → hash, redact or drop
   * @param maskSalt the secret salt of {@code hash}, e.g. {@code "{{ secret('PII_SALT') }}"}
   */
  public record Config(
      @Required(example = "SELECT * FROM extract WHERE amount > 0") String sql,
      Map<String, Masking.Rule> mask,
      String maskSalt) {}

  @Override
  public java.util.List<String> validate(Config config) {
    return Masking.validate(config.mask(), config.maskSalt());
  }

  @Override
  public String name() {
    return "sql.transform";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Map<String, Dataset> upstream = context.upstreamDatasets();
    Path out = context.stagingDir().resolve("data.parquet");
    try (DuckSession duck = DuckSession.memory(context)) {
      for (Map.Entry<String, Dataset> e : upstream.entrySet()) {
        duck.exec(
            "CREATE VIEW "
                + id(e.getKey())
                + " AS SELECT * FROM "
                + readParquet(e.getValue().path()));
      }
      try {
        String query = body(config.sql());
        if (config.mask() != null) {
          query =
              Masking.select(
                  "(" + query + ") weir_q",
                  duck.columns("SELECT * FROM (" + query + ")"),
                  config.mask(),
                  config.maskSalt());
        }
        duck.exec("COPY (" + query + ") TO " + path(out) + " (FORMAT parquet)");
      } catch (SQLException e) {
        if (duck.isCancelled()) {
          throw e;
        }
        throw TaskFailedException.permanent(
            "sql.transform query failed: "
                + Sql.message(e)
                + "\nTables available: "
                + (upstream.isEmpty()
                    ? "none (this task depends on no task that stages a dataset; add dependsOn)"
                    : String.join(", ", new TreeSet<>(upstream.keySet()))));
      }
      return TaskResult.of(duck.dataset(context.taskId(), out), Map.of());
    }
  }

  // COPY (...) takes one query; a trailing ';' is habit, not a second statement
  private static String body(String sql) {
    String s = sql.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }
}
