package dev.weir.audit;

import dev.weir.store.RunRecord;
import dev.weir.store.TaskAuditRecord;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.DatasetRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail of one run: per task its last attempt's facts, and the run's totals. Built from
 * the store, so the CLI and the API show the same thing.
 */
public record RunAudit(Summary summary, List<TaskAudit> tasks) {

  /**
   * Totals over the last attempt of each task; a count no task knew stays 0.
   *
   * @param duration from the run's start to its end (or to now while it runs), null before it
   *     started
   */
  public record Summary(
      String runId,
      String namespace,
      String flowId,
      String state,
      int tasks,
      Map<TaskState, Integer> taskStates,
      long rowsRead,
      long rowsWritten,
      long rowsRejected,
      long bytesRead,
      long bytesWritten,
      Instant startedAt,
      Instant endedAt,
      Duration duration) {}

  /**
   * One task's last attempt.
   *
   * @param rowsRead -1 when not known (likewise the other counts)
   */
  public record TaskAudit(
      String taskId,
      int attempt,
      TaskState state,
      Duration duration,
      long rowsRead,
      long rowsWritten,
      long rowsRejected,
      long bytesRead,
      long bytesWritten,
      String checksum,
      List<DatasetRef> inputs,
      List<DatasetRef> outputs) {}

  public static RunAudit of(
      RunRecord run, List<TaskRunRecord> taskRuns, List<TaskAuditRecord> audits, Instant now) {
    var last = new LinkedHashMap<String, TaskRunRecord>();
    for (TaskRunRecord t : taskRuns) {
      TaskRunRecord prev = last.get(t.taskId());
      if (prev == null || prev.attempt() < t.attempt()) {
        last.put(t.taskId(), t);
      }
    }
    var facts = new LinkedHashMap<String, TaskAuditRecord>();
    audits.forEach(a -> facts.put(a.taskId() + "#" + a.attempt(), a));
    var tasks = new ArrayList<TaskAudit>();
    var states = new EnumMap<TaskState, Integer>(TaskState.class);
    long[] sums = new long[5];
    for (TaskRunRecord t : last.values()) {
      states.merge(t.state(), 1, Integer::sum);
      TaskAuditRecord a = facts.get(t.taskId() + "#" + t.attempt());
      if (a == null) {
        tasks.add(
            new TaskAudit(
                t.taskId(),
                t.attempt(),
                t.state(),
                t.duration(),
                -1,
                -1,
                -1,
                -1,
                -1,
                null,
                List.of(),
                List.of()));
        continue;
      }
      long[] counts = {
        a.rowsRead(), a.rowsWritten(), a.rowsRejected(), a.bytesRead(), a.bytesWritten()
      };
      for (int i = 0; i < counts.length; i++) {
        sums[i] += Math.max(0, counts[i]);
      }
      tasks.add(
          new TaskAudit(
              t.taskId(),
              t.attempt(),
              t.state(),
              t.duration(),
              a.rowsRead(),
              a.rowsWritten(),
              a.rowsRejected(),
              a.bytesRead(),
              a.bytesWritten(),
              a.checksum(),
              AuditJson.decode(a.inputs()),
              AuditJson.decode(a.outputs())));
    }
    Instant end = run.endedAt() != null ? run.endedAt() : now;
    Duration duration = run.startedAt() == null ? null : Duration.between(run.startedAt(), end);
    var summary =
        new Summary(
            run.id(),
            run.namespace(),
            run.flowId(),
            run.state().name(),
            last.size(),
            states,
            sums[0],
            sums[1],
            sums[2],
            sums[3],
            sums[4],
            run.startedAt(),
            run.endedAt(),
            duration);
    return new RunAudit(summary, tasks);
  }

  /** The audit as plain maps and lists, for JSON: unknown counts are null, durations in ms. */
  public Map<String, Object> toMap() {
    var s = new LinkedHashMap<String, Object>();
    s.put("runId", summary.runId());
    s.put("flow", summary.namespace() + "/" + summary.flowId());
    s.put("state", summary.state());
    s.put("tasks", summary.tasks());
    var states = new LinkedHashMap<String, Integer>();
    summary.taskStates().forEach((k, v) -> states.put(k.name(), v));
    s.put("taskStates", states);
    s.put("rowsRead", summary.rowsRead());
    s.put("rowsWritten", summary.rowsWritten());
    s.put("rowsRejected", summary.rowsRejected());
    s.put("bytesRead", summary.bytesRead());
    s.put("bytesWritten", summary.bytesWritten());
    s.put("startedAt", str(summary.startedAt()));
    s.put("endedAt", str(summary.endedAt()));
    s.put("durationMs", summary.duration() == null ? null : summary.duration().toMillis());
    var list = new ArrayList<Map<String, Object>>();
    for (TaskAudit t : tasks) {
      var m = new LinkedHashMap<String, Object>();
      m.put("taskId", t.taskId());
      m.put("attempt", t.attempt());
      m.put("state", t.state().name());
      m.put("durationMs", t.duration() == null ? null : t.duration().toMillis());
      m.put("rowsRead", known(t.rowsRead()));
      m.put("rowsWritten", known(t.rowsWritten()));
      m.put("rowsRejected", known(t.rowsRejected()));
      m.put("bytesRead", known(t.bytesRead()));
      m.put("bytesWritten", known(t.bytesWritten()));
      m.put("checksum", t.checksum());
      m.put("inputs", refs(t.inputs()));
      m.put("outputs", refs(t.outputs()));
      list.add(m);
    }
    var out = new LinkedHashMap<String, Object>();
    out.put("summary", s);
    out.put("tasks", list);
    return out;
  }

  private static List<Map<String, Object>> refs(List<DatasetRef> refs) {
    var out = new ArrayList<Map<String, Object>>();
    for (DatasetRef r : refs) {
      var m = new LinkedHashMap<String, Object>();
      m.put("namespace", r.namespace());
      m.put("name", r.name());
      m.put("rows", known(r.rows()));
      m.put("bytes", known(r.bytes()));
      out.add(m);
    }
    return out;
  }

  private static Long known(long n) {
    return n < 0 ? null : n;
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }
}
