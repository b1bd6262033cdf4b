package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The progress lines of a sensor: one per wait, not one per check. */
class ProgressTest {
  private static TaskRunRecord record(TaskState state, Instant retryAt) {
    return new TaskRunRecord(
        "r-1", "ready", 1, 1, state, null, null, null, retryAt, null, null, null, -1, null);
  }

  @Test
  void a_waiting_sensor_says_when_it_checks_next_and_its_rechecks_stay_quiet() throws Exception {
    var text = new StringWriter();
    var progress = new Progress(new PrintWriter(text), 8, java.util.Set.of());
    var task =
        new dev.weir.flow.FlowParser(dev.weir.task.TaskRegistry.load())
            .parse("f.yaml", "id: f\ntasks:\n  - {id: ready, type: noop}\n")
            .tasks()
            .getFirst();
    progress.taskChanged(task, record(TaskState.RUNNING, null));
    progress.taskChanged(task, record(TaskState.WAITING, Instant.now().plusSeconds(299)));
    progress.taskChanged(task, record(TaskState.RUNNING, null));
    progress.taskChanged(task, record(TaskState.CANCELLED, null));
    String[] lines = text.toString().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).contains("▶ ready").contains("RUNNING");
    assertThat(lines[1])
        .startsWith("  ⏸ ready     WAITING         attempt 1  waiting, next check in 4m");
    assertThat(lines[2]).contains("– ready").contains("CANCELLED");
    assertThat(Progress.symbol(TaskState.WAITING)).isEqualTo("⏸");
  }
}
