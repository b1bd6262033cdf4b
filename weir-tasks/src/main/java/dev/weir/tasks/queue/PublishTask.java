package dev.weir.tasks.queue;

import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code <broker>.publish} task: what the four share (the connection's type checked, `message` or
 * `dataset` validated, the rows sent in confirmed batches by {@link Publishing}); each broker's
 * task says only where a message goes and what else it checks.
 *
 * @param <C> the task's configuration record
 */
public abstract class PublishTask<C extends Record & PublishTask.Config> implements TaskType<C> {
  /** What every publish task's configuration gives. */
  public interface Config {
    /** The broker's connection in weir.yaml. */
    String connection();

    /** The message, or the dataset whose rows are the messages, with key and headers. */
    Publishing.Payload payload();
  }

  private final String broker;
  private final Class<C> configType;
  private final boolean keyed;
  private final boolean stableIds;

  /**
   * @param broker the connection type, and the task's name before {@code .publish}
   * @param keyed whether a message can carry a key ({@code key}, {@code keyColumn})
   * @param stableIds see {@link Publishing#publish}
   */
  protected PublishTask(String broker, Class<C> configType, boolean keyed, boolean stableIds) {
    this.broker = broker;
    this.configType = configType;
    this.keyed = keyed;
    this.stableIds = stableIds;
  }

  /** Where {@code c}'s messages go. */
  protected abstract Destination destination(C c);

  /** The broker's own problems with {@code c}, beside the payload's; none by default. */
  protected List<String> ownProblems(C c) {
    return List.of();
  }

  @Override
  public final String name() {
    return broker + ".publish";
  }

  @Override
  public final Class<C> configType() {
    return configType;
  }

  @Override
  public final List<String> datasetInputs(C c) {
    return Publishing.datasetInputs(c.payload());
  }

  @Override
  public final List<String> validate(C c) {
    var out = new ArrayList<>(Publishing.problems(c.payload(), keyed));
    out.addAll(ownProblems(c));
    return out;
  }

  @Override
  public final TaskResult run(C c, TaskContext ctx) throws InterruptedException {
    return Publishing.publish(ctx, c.connection(), broker, destination(c), c.payload(), stableIds);
  }
}
