package dev.weir.tasks.models;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.jdbc.Dialect;

/** How a {@code sql.models} task compiles: its target database, schema, name, vars and flags. */
final class ModelsTarget {
  static final int DEFAULT_THREADS = 4;

  private ModelsTarget() {}

  static CompileOptions options(
      DbtProject project, SqlModelsTask.Config config, ConnectionConfig db, TaskContext context) {
    Target.Dialect dialect =
        switch (Dialect.of(db.url())) {
          case DUCKDB -> Target.Dialect.DUCKDB;
          case POSTGRES -> Target.Dialect.POSTGRES;
          default ->
              throw TaskFailedException.permanent(
                  "sql.models builds models on DuckDB or PostgreSQL; connection '"
                      + config.target().connection()
                      + "' is "
                      + Dialect.of(db.url()).name().toLowerCase(java.util.Locale.ROOT)
                      + "; name a DuckDB or PostgreSQL connection of weir.yaml");
        };
    String name = config.target().name() == null ? "dev" : config.target().name();
    var target = new Target(name, config.target().schema(), dialect);
    var defaults = CompileOptions.defaults(project);
    return new CompileOptions(
        defaults.projectName(),
        target,
        config.vars() == null ? java.util.Map.of() : config.vars(),
        false,
        Boolean.TRUE.equals(config.fullRefresh()),
        key -> context.environment().get(key));
  }

  /**
   * How many nodes run at once: the task's {@code threads} (default 4), at most the pool size of a
   * pooled (network) connection, whose pool would otherwise keep the extra threads waiting.
   */
  static int threads(SqlModelsTask.Config config, ConnectionConfig db, TaskContext context) {
    int wanted = config.threads() == null ? DEFAULT_THREADS : config.threads();
    if (Dialect.of(db.url()).pooled() && wanted > db.poolSize()) {
      context
          .logger()
          .warn(
              "threads: "
                  + wanted
                  + " is more than connection '"
                  + config.target().connection()
                  + "' allows (poolSize: "
                  + db.poolSize()
                  + "); running "
                  + db.poolSize()
                  + " at once. Raise poolSize in weir.yaml to run more.");
      return db.poolSize();
    }
    return wanted;
  }

  static String describe(DbtProject project, CompileOptions options, int threads) {
    return "building "
        + project.name()
        + " in schema "
        + options.target().schema()
        + " on "
        + options.target().dialect().type()
        + ", "
        + threads
        + (threads == 1 ? " node" : " nodes")
        + " at once";
  }
}
