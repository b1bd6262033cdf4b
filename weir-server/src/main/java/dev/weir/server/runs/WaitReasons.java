package dev.weir.server.runs;

import dev.weir.engine.gate.CircuitBreakers;
import dev.weir.engine.gate.Gates;
import dev.weir.flow.Dag;
import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import dev.weir.server.flows.FlowKey;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why each task of a run that is not running yet is waiting, condition by condition: an upstream
 * task not done, a pool that is full (with its counts), an open circuit, a retry delay, a sensor
 * between its checks, the flow's concurrency limit. What the on-call engineer asks first about a
 * stuck run.
 */
public final class WaitReasons {
  /** One unmet condition; {@code until} when it lifts at a known time. */
  public record Reason(String kind, String text, Instant until) {}

  /** The run's own reasons and each waiting task's. */
  public record Waiting(List<Reason> run, Map<String, List<Reason>> tasks) {}

  private final Gates gates;
  private final RunLauncher launcher;

  public WaitReasons(Gates gates, RunLauncher launcher) {
    this.gates = gates;
    this.launcher = launcher;
  }

  public Waiting of(Flow flow, RunRecord run, List<TaskRunRecord> attempts) {
    var latest = new HashMap<String, TaskRunRecord>();
    for (TaskRunRecord t : attempts) {
      TaskRunRecord had = latest.get(t.taskId());
      if (had == null || had.attempt() <= t.attempt()) {
        latest.put(t.taskId(), t);
      }
    }
    var runReasons = new ArrayList<Reason>();
    var tasks = new LinkedHashMap<String, List<Reason>>();
    if (run.state().isTerminal()) {
      return new Waiting(runReasons, tasks);
    }
    if (run.state() == RunState.QUEUED) {
      int limit = flow.concurrency() == null ? 0 : flow.concurrency().limit();
      int active = launcher.active(new FlowKey(run.namespace(), run.flowId()));
      runReasons.add(
          new Reason(
              "concurrency",
              limit > 0
                  ? "the flow's concurrency limit: "
                      + active
                      + " of "
                      + limit
                      + " runs are going; this one starts when one ends"
                  : "queued: waiting for the server to start it",
              null));
    }
    var dag = new Dag(flow.allTasks());
    for (TaskDef def : flow.allTasks()) {
      TaskRunRecord t = latest.get(def.id());
      TaskState state = t == null ? TaskState.PENDING : t.state();
      if (state == TaskState.RUNNING || state.isTerminal()) {
        continue;
      }
      var reasons = new ArrayList<Reason>();
      if (state == TaskState.RETRY_WAIT) {
        reasons.add(
            new Reason(
                "retry",
                // the waiting record is the next attempt's
                "attempt "
                    + (t.attempt() - 1)
                    + " failed; attempt "
                    + t.attempt()
                    + " waits for its retry delay",
                t.retryAt()));
      } else if (state == TaskState.WAITING) {
        // a sensor between checks: the UI reads "sensor waiting, next check at 12:05"
        reasons.add(
            new Reason(
                "sensor",
                t.retryAt() == null ? "sensor waiting" : "sensor waiting, next check",
                t.retryAt()));
      } else if (state == TaskState.PENDING) {
        for (String up : dag.upstream(def.id())) {
          TaskRunRecord u = latest.get(up);
          TaskState us = u == null ? TaskState.PENDING : u.state();
          if (!us.isTerminal()) {
            reasons.add(
                new Reason(
                    "upstream",
                    "upstream task " + up + " is " + us.name().toLowerCase().replace('_', ' '),
                    null));
          }
        }
        if (reasons.isEmpty() && run.state() == RunState.RUNNING) {
          reasons.add(
              new Reason("next", "its upstream tasks are done; it is next to be queued", null));
        }
      } else if (state == TaskState.QUEUED) {
        gateReasons(def, reasons);
        if (reasons.isEmpty()) {
          reasons.add(
              new Reason(
                  "parallelism",
                  "waiting for a free slot of the run (parallelism " + flow.parallelism() + ")",
                  null));
        }
      }
      if (!reasons.isEmpty()) {
        tasks.put(def.id(), reasons);
      }
    }
    return new Waiting(runReasons, tasks);
  }

  private void gateReasons(TaskDef def, List<Reason> reasons) {
    if (def.pool() != null) {
      Integer size = gates.pools().sizes().get(def.pool());
      if (size != null) {
        int inUse = gates.pools().inUse(def.pool());
        if (inUse >= size) {
          reasons.add(
              new Reason(
                  "pool",
                  "pool "
                      + def.pool()
                      + " is full: "
                      + inUse
                      + " of "
                      + size
                      + " slots in use, "
                      + waiting(gates.pools().waiting(def.pool())),
                  null));
        }
      }
    }
    var connection = def.properties() == null ? null : def.properties().get("connection");
    if (connection != null && connection.isTextual()) {
      CircuitBreakers.Status s = gates.breakers().statuses().get(connection.textValue());
      if (s != null && s.state() != CircuitBreakers.State.CLOSED) {
        reasons.add(
            new Reason(
                "circuit",
                "the circuit for connection "
                    + connection.textValue()
                    + " is "
                    + s.state().name().toLowerCase().replace('_', ' ')
                    + " after "
                    + s.consecutiveFailures()
                    + " connection failures",
                s.openUntil()));
      }
    }
  }

  private static String waiting(int n) {
    return n == 1 ? "1 task waiting" : n + " tasks waiting";
  }
}
