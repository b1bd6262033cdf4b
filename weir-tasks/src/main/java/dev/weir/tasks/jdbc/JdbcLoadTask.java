package dev.weir.tasks.jdbc;

import dev.weir.config.ConnectionConfig;
import dev.weir.expr.Expressions;
import dev.weir.task.Dataset;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.DuckSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Properties;

/** Loads a dataset into a database table: append, replace or upsert, each in one transaction. */
public final class JdbcLoadTask implements TaskType<JdbcLoadTask.Config> {
  /**
   * @param url a JDBC URL; give it or {@code connection}
   * @param connection a connection named in weir.yaml; give it or {@code url}
   * @param table may be schema-qualified, e.g. {@code analytics.orders}
   * @param mode defaults to append
   * @param key the columns that identify a row; required for upsert
   */
  public record Config(
      @Required(example = "shape") String dataset,
      String url,
      String connection,
      @Required(example = "analytics.orders") String table,
      LoadMode mode,
      List<String> key) {

    LoadMode effectiveMode() {
      return mode == null ? LoadMode.APPEND : mode;
    }
  }

  @Override
  public String name() {
    return "jdbc.load";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> datasetInputs(Config config) {
    return List.of(config.dataset());
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    if ((config.url() == null) == (config.connection() == null)) {
      problems.add(
          (config.url() == null
                  ? "neither url nor connection is given"
                  : "both url and connection are given")
              + "; give exactly one: `url: jdbc:duckdb:warehouse.duckdb` or `connection: warehouse`"
              + " (a connection named in weir.yaml)");
    }
    if (config.url() != null
        && !Expressions.isTemplate(config.url())
        && !DuckTarget.isDuckDb(config.url())) {
      problems.add(DuckTarget.notSupported(config.url()));
    }
    if (config.table() != null && !config.table().matches("[^.]+(\\.[^.]+){0,2}")) {
      problems.add(
          "table '"
              + config.table()
              + "' is not a table name; use `table: orders` or `table: analytics.orders`");
    }
    boolean hasKey = config.key() != null && !config.key().isEmpty();
    if (config.effectiveMode() == LoadMode.UPSERT && !hasKey) {
      problems.add(
          "mode upsert needs key: the columns that identify a row, e.g. `key: [order_id]`");
    }
    if (config.effectiveMode() != LoadMode.UPSERT && hasKey) {
      problems.add(
          "key is only used by mode upsert (mode here is "
              + config.effectiveMode().name().toLowerCase(java.util.Locale.ROOT)
              + "); set `mode: upsert` or remove key");
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Dataset dataset = context.dataset(config.dataset());
    var properties = new Properties();
    String url = config.url();
    if (config.connection() != null) {
      ConnectionConfig c = context.connection(config.connection());
      url = c.url();
      properties.putAll(c.properties());
    }
    url = DuckTarget.resolve(url, context.workDir());
    ensureParentDir(url);
    long rows;
    boolean created;
    try (DuckSession duck = DuckSession.open(url, properties, context)) {
      var load = new TableLoad(duck, dataset, config.table());
      created = load.run(config.effectiveMode(), config.key());
      rows = load.rows();
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
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("rows", rows);
    outputs.put("table", config.table());
    outputs.put("mode", config.effectiveMode().name().toLowerCase(java.util.Locale.ROOT));
    outputs.put("created", created);
    return TaskResult.of(outputs);
  }

  // DuckDB creates the database file but not the directory it goes in
  private static void ensureParentDir(String url) throws java.io.IOException {
    String rest = url.substring(DuckTarget.PREFIX.length()).split("[;?]", 2)[0];
    if (rest.startsWith("/")) {
      Path parent = Path.of(rest).getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    }
  }
}
