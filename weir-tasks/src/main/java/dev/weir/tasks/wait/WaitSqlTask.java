package dev.weir.tasks.wait;

import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.jdbc.FirstValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sensor that runs a query until it returns a true value, e.g. until the day's partition exists.
 * Each check runs the query once; while the value is false the task waits (state WAITING, no thread
 * held) and checks again after {@code interval}.
 */
public final class WaitSqlTask implements TaskType<WaitSqlTask.Config> {
  /**
   * @param connection a database connection of weir.yaml (or {@code url})
   * @param sql a query; the first column of its first row is the value checked
   * @param params values for the query's {@code :name} parameters
   * @param interval time between checks, default 30s
   * @param queryTimeout how long one check's query may take
   */
  public record Config(
      String url,
      String connection,
      @Required(example = "SELECT count(*) > 0 FROM loads WHERE day = :day") String sql,
      Map<String, Object> params,
      Duration interval,
      Duration queryTimeout) {}

  @Override
  public String name() {
    return "wait.sql";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    String target = FirstValue.targetProblem(config.url(), config.connection());
    if (target != null) {
      problems.add(target);
    }
    if (config.sql() != null && config.sql().isBlank()) {
      problems.add("sql is empty; write a query, e.g. `sql: SELECT count(*) > 0 FROM loads`");
    }
    Sensors.checkInterval(config.interval(), problems);
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Duration interval = Sensors.interval(config.interval());
    FirstValue.Result result;
    try {
      result =
          FirstValue.query(
              name(),
              config.url(),
              config.connection(),
              config.sql(),
              config.params() == null ? Map.of() : config.params(),
              config.queryTimeout(),
              context);
    } catch (TaskFailedException e) {
      if (e.connectionFailure()) {
        throw Sensors.unreachable(context, interval, name(), e);
      }
      throw e;
    }
    if (!Sensors.truthy(result.value())) {
      throw Sensors.notYet(
          context,
          interval,
          result.found()
              ? "wait.sql: the query returned " + shown(result.value()) + ", not a true value"
              : "wait.sql: the query returned no row");
    }
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("value", Sensors.output(result.value()));
    context.logger().info(context.mask("wait.sql: the query returned " + shown(result.value())));
    return TaskResult.of(outputs);
  }

  private static String shown(Object value) {
    return value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
  }
}
