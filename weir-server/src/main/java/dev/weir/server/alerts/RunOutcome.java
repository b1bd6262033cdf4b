package dev.weir.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What an ended run's tasks say for its alerts: the task that failed and its error, and the
 * warnings of its quality checks.
 *
 * @param failedTask the main task that failed last, null when none
 * @param qualityWarnings one line per failed check of severity {@code warn}
 */
record RunOutcome(String failedTask, String error, List<String> qualityWarnings) {
  static final String QUALITY_CHECK = "quality.check";
  private static final ObjectMapper JSON = new ObjectMapper();

  static RunOutcome of(Flow flow, int runAttempt, List<TaskRunRecord> taskRuns) {
    // the last attempt of each task in this run attempt
    var last = new LinkedHashMap<String, TaskRunRecord>();
    for (TaskRunRecord t : taskRuns) {
      if (t.runAttempt() == runAttempt) {
        last.merge(t.taskId(), t, (a, b) -> b.attempt() >= a.attempt() ? b : a);
      }
    }
    TaskRunRecord failed =
        last.values().stream()
            .filter(t -> t.state() == TaskState.FAILED || t.state() == TaskState.TIMED_OUT)
            .filter(
                t -> flow.task(t.taskId()).map(TaskDef::phase).orElse(null) == TaskDef.Phase.MAIN)
            .max(
                Comparator.comparing(
                    t -> t.endedAt() == null ? java.time.Instant.MIN : t.endedAt()))
            .orElse(null);
    var warnings = new ArrayList<String>();
    for (TaskRunRecord t : last.values()) {
      boolean isCheck =
          flow.task(t.taskId()).map(d -> d.type().equals(QUALITY_CHECK)).orElse(false);
      if (isCheck && t.outputs() != null) {
        warnings.addAll(warnings(t.taskId(), t.outputs()));
      }
    }
    return new RunOutcome(
        failed == null ? null : failed.taskId(), failed == null ? null : failed.error(), warnings);
  }

  /** {@code checks: [{name, passed, severity, detail}]} of a quality.check's outputs. */
  static List<String> warnings(String taskId, String outputs) {
    var out = new ArrayList<String>();
    JsonNode checks;
    try {
      checks = JSON.readTree(outputs).path("checks");
    } catch (IOException e) {
      return out;
    }
    for (JsonNode c : checks) {
      if (!c.path("passed").asBoolean(true) && "warn".equals(c.path("severity").asText())) {
        out.add(
            "task "
                + taskId
                + ": check "
                + c.path("name").asText("?")
                + " failed"
                + (c.hasNonNull("detail") ? ": " + c.get("detail").asText() : ""));
      }
    }
    return out;
  }
}
