package dev.weir.engine;

import dev.weir.store.StateStore;
import dev.weir.store.TaskProcess;
import dev.weir.task.ProcessTree;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a resumed run does about the attempts the stopped process was running: they run again (the
 * try does not count), and the processes they had started are ended first.
 */
final class Interrupted {
  static final String PREFIX = "interrupted:";
  static final String MESSAGE =
      PREFIX + " the process running this attempt stopped; the attempt runs again";
  private static final Logger LOG = LoggerFactory.getLogger(Interrupted.class);

  private Interrupted() {}

  /** Writes one line to a task attempt's log. */
  interface TaskLog {
    void log(String taskId, int attempt, String level, String message);
  }

  /** Whether a stored failure was an interruption, which does not count as a try. */
  static boolean is(String error) {
    return error != null && error.startsWith(PREFIX);
  }

  /**
   * Ends what the interrupted attempts (task id → attempt) left running, and says so in their logs
   * through {@code log}.
   */
  static void endLeftovers(
      StateStore store, String runId, Map<String, Integer> attempts, TaskLog log) {
    List<TaskProcess> left =
        store.processes(runId).stream()
            .filter(p -> Integer.valueOf(p.attempt()).equals(attempts.get(p.taskId())))
            .toList();
    if (left.isEmpty()) {
      return;
    }
    new LeftoverProcesses(Engine.host(), ProcessTree.GRACE, ZoneId.systemDefault())
        .end(
            left,
            (p, level, message) -> {
              if (level.equals("ERROR")) {
                LOG.warn("run {}: {}", runId, message);
              } else {
                LOG.info("run {}: {}", runId, message); // the CLI shows the task's line
              }
              log.log(p.taskId(), p.attempt(), level, message);
            });
  }
}
