package dev.weir.server.logs;

import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;

/** {@code test.throw}: fails with an unexpected exception (not Weir's) carrying its message. */
public final class ThrowingTask implements TaskType<ThrowingTask.Config> {
  public record Config(@Required(example = "boom") String message) {}

  @Override
  public String name() {
    return "test.throw";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public TaskResult run(Config c, TaskContext ctx) {
    throw new IllegalStateException(c.message(), new RuntimeException("caused by " + c.message()));
  }
}
