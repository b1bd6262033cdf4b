package dev.weir.bench;

import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;

/**
 * {@code bench.noop}: does nothing but note when it started and ended, so that the time between
 * tasks is the engine's own.
 */
public final class NoopTask implements TaskType<NoopTask.Config> {
  /** No properties. */
  public record Config() {}

  @Override
  public String name() {
    return "bench.noop";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) {
    long start = System.nanoTime();
    Timeline timeline = Timeline.current();
    int index = Timeline.index(context.taskId());
    timeline.started(index, start);
    timeline.ended(index, System.nanoTime());
    return TaskResult.empty();
  }
}
