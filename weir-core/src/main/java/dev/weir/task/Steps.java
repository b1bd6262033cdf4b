package dev.weir.task;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Child task runs of a running attempt, for a task that schedules work of its own at run time (the
 * models of a {@code sql.models} task). Each step is stored as a task run of the same run, with id
 * {@code <parent task run id>/<name>} and the attempt number of the parent's attempt: its state,
 * times, outputs, error, log, audit facts and lineage events are those of a task run. The engine
 * still owns the parent attempt: its retries, timeout and cancel; a step that is still open when
 * the attempt ends is ended {@code CANCELLED}, and a failed step does not by itself fail the task.
 *
 * <p>Thread-safe: steps may run in parallel. A name is used once per attempt.
 */
public interface Steps {
  /**
   * Starts a step: stored {@code RUNNING} now.
   *
   * @param name {@code [A-Za-z0-9_.-]+}, unique in this attempt (e.g. {@code stg_orders}, {@code
   *     test.not_null_orders_id})
   * @throws IllegalArgumentException for a bad or used name
   */
  Step start(String name);

  /**
   * Records a step that never started: {@code SKIPPED}, or {@code UPSTREAM_FAILED} when {@code
   * upstreamFailed} (a step it depends on failed).
   *
   * @param why stored as the step's error, as a skipped task's reason is
   * @throws IllegalArgumentException for a bad or used name
   */
  void skipped(String name, String why, boolean upstreamFailed);

  /**
   * The names of this task's steps that succeeded in an earlier attempt of it in this run (a retry,
   * an attempt run again after a crash, {@code weir retry}) and have not run since. A task that can
   * go on where it stopped leaves them out, as {@code dbt retry} does; their rows stay as they
   * were. Empty on a first attempt, where steps are not stored, and once a newer run of the flow
   * exists (it may have built the same things again since).
   */
  default Set<String> succeededEarlier() {
    return Set.of();
  }

  /**
   * Steps that are not stored: each step's lines go to {@code log} prefixed with its name, and its
   * end is one line there. For {@link TaskContext}s that record none (tests, tools).
   */
  static Steps loggingTo(TaskLogger log) {
    return new Steps() {
      private final Set<String> used = ConcurrentHashMap.newKeySet();

      @Override
      public Step start(String name) {
        use(name);
        TaskLogger prefixed = (level, message) -> log.log(level, "[" + name + "] " + message);
        return new Step() {
          private volatile boolean ended;

          @Override
          public String taskId() {
            return name;
          }

          @Override
          public TaskLogger logger() {
            return prefixed;
          }

          @Override
          public void succeed(Map<String, Object> outputs, Audit audit) {
            end();
            prefixed.info("succeeded");
          }

          @Override
          public void fail(String error, Map<String, Object> outputs, Audit audit) {
            end();
            prefixed.error("failed: " + error);
          }

          private synchronized void end() {
            if (ended) {
              throw new IllegalStateException("step '" + name + "' ended already");
            }
            ended = true;
          }
        };
      }

      @Override
      public void skipped(String name, String why, boolean upstreamFailed) {
        use(name);
        log.info("[" + name + "] " + (upstreamFailed ? "upstream failed: " : "skipped: ") + why);
      }

      private void use(String name) {
        if (!used.add(name)) {
          throw new IllegalArgumentException("step '" + name + "' was started already");
        }
      }
    };
  }
}
