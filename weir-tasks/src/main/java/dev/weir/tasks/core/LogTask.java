package dev.weir.tasks.core;

import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskLogger;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;

/** Writes one line to the run's log, e.g. to record a rendered expression. */
public final class LogTask implements TaskType<LogTask.Config> {
  /**
   * @param level defaults to info
   */
  public record Config(
      @Required(example = "\"loaded {{ outputs.load.rows }} rows\"") String message,
      TaskLogger.Level level) {}

  @Override
  public String name() {
    return "log";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) {
    TaskLogger.Level level = config.level() == null ? TaskLogger.Level.INFO : config.level();
    context.logger().log(level, config.message());
    return TaskResult.empty();
  }
}
