package dev.weir.server.streams;

import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import dev.weir.task.TaskRegistry;
import dev.weir.task.TaskType;
import java.util.Optional;

/**
 * Which flows are streams: a flow with a task that runs until cancelled ({@link
 * TaskType#runsContinuously()}, e.g. {@code cdc.postgres}) and no trigger. A flow with such a task
 * and a trigger is an ordinary flow its triggers start (a CDC task with {@code stopWhen: caughtUp}
 * on a schedule, say).
 */
final class StreamFlows {
  private StreamFlows() {}

  static boolean isStream(Flow flow, TaskRegistry types) {
    return flow.triggers().isEmpty() && continuousTask(flow, types).isPresent();
  }

  /** The first task of {@code flow} whose type runs continuously. */
  static Optional<TaskDef> continuousTask(Flow flow, TaskRegistry types) {
    return flow.everyTask().stream().filter(t -> continuous(t.type(), types)).findFirst();
  }

  private static boolean continuous(String type, TaskRegistry types) {
    if (!types.names().contains(type)) {
      return false; // forEach, or a type the validator has already refused
    }
    TaskType<?> t = types.get(type);
    return t.runsContinuously();
  }
}
