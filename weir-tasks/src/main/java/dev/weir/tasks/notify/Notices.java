package dev.weir.tasks.notify;

import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import java.time.Duration;

/** What the notify tasks share: an {@link Alert} about the task's run, and one way to fail. */
final class Notices {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Notices() {}

  static Alert alert(TaskContext ctx, String message) {
    return new Alert(
        "message",
        ctx.namespace(),
        ctx.flowId(),
        ctx.runId(),
        "RUNNING",
        null,
        null,
        ctx.mask(message),
        null,
        ctx.clock().instant());
  }

  /** A failed delivery fails the task; the task's own retry policy decides about another try. */
  static TaskFailedException failed(TaskContext ctx, String channel, Delivery.DeliveryException e) {
    return new TaskFailedException(
        ctx.mask(channel + " notification not delivered: " + e.getMessage()),
        e.retryable(),
        java.util.Map.of(),
        null);
  }
}
