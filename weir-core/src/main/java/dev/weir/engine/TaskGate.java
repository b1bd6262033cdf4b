package dev.weir.engine;

import dev.weir.task.TaskLogger;
import java.util.List;

/**
 * Decides when a task attempt may start, for limits that reach beyond one run: named pools, a
 * circuit breaker per connection. The engine calls {@link #acquire} on the attempt's own thread
 * before the task runs, while its task run is still QUEUED; the attempt turns RUNNING (and its
 * timeout starts) only once every gate let it in. The permit is released when the attempt's thread
 * is done with the task, whatever the end: success, failure, timeout or cancel.
 *
 * <p>Waiting in {@code acquire} must end with an {@link InterruptedException} when the thread is
 * interrupted: that is how a cancelled run stops a task that waits.
 */
public interface TaskGate {
  /** Lets every attempt start at once. */
  TaskGate NONE =
      new TaskGate() {
        @Override
        public boolean guards(Request request) {
          return false;
        }

        @Override
        public Permit acquire(Request request, TaskLogger log) {
          return Permit.NONE;
        }
      };

  /**
   * Whether {@link #acquire} may wait or refuse for this attempt. When no gate guards it, the
   * engine starts the attempt without the round trip through QUEUED.
   */
  boolean guards(Request request);

  /**
   * Waits until the attempt may start.
   *
   * @param log the attempt's own log: say here what it waits for, once, not on every wake-up
   * @throws InterruptedException when the attempt is cancelled while it waits; nothing is held then
   * @throws dev.weir.task.TaskFailedException when it may never start (e.g. an unknown pool); the
   *     attempt fails with that message
   */
  Permit acquire(Request request, TaskLogger log) throws InterruptedException;

  /**
   * One attempt asking to start.
   *
   * @param pool the task's {@code pool:}, or null
   * @param connection the task's {@code connection:} (rendered), or null
   */
  record Request(
      String namespace,
      String flowId,
      String runId,
      String taskId,
      int attempt,
      String pool,
      String connection) {}

  /** What an admitted attempt holds until it ends. */
  @FunctionalInterface
  interface Permit {
    Permit NONE = outcome -> {};

    /** Gives the permit back; called once, on the attempt's thread, before its result is told. */
    void release(Outcome outcome);
  }

  /** How an admitted attempt ended, as far as gates care. */
  enum Outcome {
    SUCCEEDED,
    /** The task failed with {@link dev.weir.task.TaskFailedException#connectionFailure()}. */
    CONNECTION_FAILED,
    /** Any other failure. */
    FAILED,
    /** Cancelled or timed out: it says nothing about the resource. */
    CANCELLED
  }

  /**
   * Gates passed in order: an attempt waits at the first, then the second, ... Permits are released
   * in the reverse order.
   */
  static TaskGate chain(TaskGate... gates) {
    return new GateChain(List.of(gates));
  }
}
