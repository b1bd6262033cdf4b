package dev.weir.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** weir_tasks_waiting follows a sensor's WAITING ⇄ RUNNING changes. */
class SensorWaitingMetricTest {
  private static TaskRunRecord record(String task, TaskState state) {
    return new TaskRunRecord(
        "r-1", task, 1, 1, state, null, null, null, Instant.EPOCH, null, null, null, -1, null);
  }

  @Test
  void counts_sensors_between_checks() {
    var metrics = new RunMetrics();
    metrics.taskChanged(null, record("a", TaskState.RUNNING));
    metrics.taskChanged(null, record("a", TaskState.WAITING));
    metrics.taskChanged(null, record("b", TaskState.WAITING));
    assertThat(metrics.tasksWaiting()).isEqualTo(2);
    metrics.taskChanged(null, record("a", TaskState.RUNNING)); // the next check
    assertThat(metrics.tasksWaiting()).isEqualTo(1);
    metrics.taskChanged(null, record("a", TaskState.WAITING));
    metrics.taskChanged(null, record("b", TaskState.CANCELLED));
    assertThat(metrics.tasksWaiting()).isEqualTo(1);
  }
}
