package dev.weir.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.flow.alert.Sla;
import dev.weir.server.flows.FlowKey;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlaWatcherTest {
  private static final Instant START = Instant.parse("2026-11-21T05:00:00Z");

  @TempDir Path dir;
  private JdbcStateStore store;
  private SlaWatcher watcher;
  private int seq;

  @BeforeEach
  void open() {
    store = JdbcStateStore.h2(dir);
    watcher = new SlaWatcher(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RunRecord run(RunState state, Instant started, Duration took, Instant logicalDate) {
    return new RunRecord(
        "run" + (seq++),
        "shop",
        "orders",
        "rev",
        null,
        state,
        "{}",
        logicalDate,
        "manual",
        1,
        started.plusSeconds(seq),
        started,
        took == null ? null : started.plus(took),
        null,
        null);
  }

  private void succeeded(Duration... durations) {
    var runs = new ArrayList<RunRecord>();
    for (Duration d : durations) {
      runs.add(run(RunState.SUCCEEDED, START.minus(Duration.ofDays(1)), d, null));
    }
    store.write(new StateStore.Batch(runs, List.of(), List.of(), List.of()));
  }

  @Test
  void a_run_past_its_max_duration_is_late() {
    Sla sla = new Sla(Duration.ofMinutes(10), null, null, false);
    RunRecord r = run(RunState.RUNNING, START, null, START);
    assertThat(watcher.late(sla, r, START.plus(Duration.ofMinutes(10)))).isEmpty();
    assertThat(watcher.late(sla, r, START.plus(Duration.ofMinutes(11))))
        .hasValue("running for 11m, longer than its maxDuration of 10m");
  }

  @Test
  void a_run_not_finished_by_its_deadline_on_its_logical_date_is_late() {
    Sla sla = new Sla(null, LocalTime.of(7, 0), ZoneId.of("Europe/Berlin"), false);
    // logical date 2026-11-21 05:00 UTC = 06:00 in Berlin; due 07:00 Berlin = 06:00 UTC
    RunRecord r = run(RunState.RUNNING, START, null, START);
    assertThat(watcher.late(sla, r, Instant.parse("2026-11-21T06:00:00Z"))).isEmpty();
    assertThat(watcher.late(sla, r, Instant.parse("2026-11-21T06:00:01Z")))
        .hasValue("not finished by its deadline 07:00 Europe/Berlin on 2026-11-21");
  }

  @Test
  void a_run_longer_than_twice_the_median_of_the_last_successful_runs_is_late() {
    succeeded(Duration.ofMinutes(9), Duration.ofMinutes(10), Duration.ofMinutes(11));
    RunRecord r = run(RunState.RUNNING, START, null, START);
    assertThat(watcher.late(Sla.DEFAULT, r, START.plus(Duration.ofMinutes(20)))).isEmpty();
    assertThat(watcher.late(Sla.DEFAULT, r, START.plus(Duration.ofMinutes(21))))
        .hasValue("running for 21m, more than twice the median 10m of its last successful runs");
    assertThat(watcher.late(new Sla(null, null, null, false), r, START.plus(Duration.ofHours(5))))
        .isEmpty();
  }

  @Test
  void the_automatic_check_needs_three_successful_runs_and_uses_the_last_ten() {
    succeeded(Duration.ofMinutes(1), Duration.ofMinutes(1));
    FlowKey key = new FlowKey("shop", "orders");
    assertThat(watcher.median(key)).isEmpty();
    succeeded(Duration.ofMinutes(4));
    watcher.runEnded(key);
    assertThat(watcher.median(key)).hasValue(Duration.ofMinutes(1));
  }
}
