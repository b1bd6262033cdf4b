package dev.weir.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.TaskRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sensor between checks explains itself: waiting, and when it checks next. */
class SensorWaitReasonTest {
  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

  @Test
  void a_waiting_sensor_says_when_it_checks_next_and_its_downstream_waits_for_it() {
    Flow flow =
        new FlowParser(TaskRegistry.load())
            .parse(
                "f.yaml",
                "id: f\ntasks:\n  - {id: ready, type: noop}\n"
                    + "  - {id: load, type: noop, dependsOn: [ready]}\n");
    var run =
        new RunRecord(
            "r-1",
            "default",
            "f",
            "rev",
            "f.yaml",
            RunState.RUNNING,
            "{}",
            null,
            "manual",
            1,
            T0,
            T0,
            null,
            null,
            null,
            null);
    var sensor =
        new TaskRunRecord(
            "r-1",
            "ready",
            1,
            1,
            TaskState.WAITING,
            T0,
            T0,
            null,
            T0.plusSeconds(300),
            null,
            null,
            null,
            -1,
            null);
    var waiting = new WaitReasons(null, null).of(flow, run, List.of(sensor));
    assertThat(waiting.tasks().get("ready"))
        .containsExactly(
            new WaitReasons.Reason("sensor", "sensor waiting, next check", T0.plusSeconds(300)));
    assertThat(waiting.tasks().get("load"))
        .extracting(WaitReasons.Reason::text)
        .containsExactly("upstream task ready is waiting");
  }
}
