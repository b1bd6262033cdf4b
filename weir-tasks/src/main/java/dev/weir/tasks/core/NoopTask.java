package dev.weir.tasks.core;

import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;

/** Does nothing; a join point in a DAG or a placeholder while a flow is being written. */
public final class NoopTask implements TaskType<NoopTask.Config> {
  public record Config() {}

  @Override
  public String name() {
    return "noop";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) {
    return TaskResult.empty();
  }
}
