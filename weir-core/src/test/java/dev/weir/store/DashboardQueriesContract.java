package dev.weir.store;

import static dev.weir.store.StateStoreContract.inserts;
import static dev.weir.store.StateStoreContract.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The overview's, flows list's and datasets page's queries ({@link RunCounts}, {@link RecentRuns},
 * {@link StateStore#lastDatasetWrites}) on each store backend, in UTC and in a session time zone
 * half an hour off the hour.
 */
abstract class DashboardQueriesContract {
  static final Instant NOW = Instant.parse("2026-12-01T10:17:00Z");
  static final Instant FIRST_HOUR = Instant.parse("2026-11-30T11:00:00Z"); // 23 hours before 10:00
  static final Instant DAY_AGO = NOW.minus(Duration.ofHours(24));

  JdbcStateStore store;

  /** A new, empty store. */
  abstract JdbcStateStore open() throws Exception;

  /** A new, empty store whose sessions are in {@code zone}. */
  abstract JdbcStateStore openInZone(String zone) throws Exception;

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private void insert(RunRecord... runs) {
    store.write(inserts(List.of(runs), List.of()));
  }

  private static RunRecord at(String id, RunState state, Instant created) {
    return run(id, "shop", "orders", state, created);
  }

  // ---- counts

  /** Runs around each edge of the window and of its hours; the same counts in any session zone. */
  private void countsAcrossEdges() {
    insert(
        at("before-day", RunState.SUCCEEDED, DAY_AGO.minusMillis(1)),
        at("day-start", RunState.FAILED, DAY_AGO), // no hour: before the first one
        at("first-hour", RunState.SUCCEEDED, FIRST_HOUR),
        at(
            "first-hour-end",
            RunState.SUCCEEDED,
            FIRST_HOUR.plus(Duration.ofHours(1)).minusMillis(1)),
        at("second-hour", RunState.CANCELLED, FIRST_HOUR.plus(Duration.ofHours(1))),
        // 10:20 and 10:40 UTC are one hour in UTC, two in Kolkata (15:50, 16:10)
        at("now-a", RunState.RUNNING, Instant.parse("2026-12-01T10:20:00Z")),
        at("now-b", RunState.QUEUED, Instant.parse("2026-12-01T10:40:00Z")),
        at("now-c", RunState.FAILED, Instant.parse("2026-12-01T10:59:59.999Z")),
        at("next-hour", RunState.SUCCEEDED, Instant.parse("2026-12-01T11:00:00Z")));
    RunCounts.Tally t = new RunCounts(store.dataSource()).count(DAY_AGO, FIRST_HOUR, 24);

    assertThat(t.total()).isEqualTo(8);
    assertThat(t.of(RunState.SUCCEEDED)).isEqualTo(3);
    assertThat(t.of(RunState.FAILED)).isEqualTo(2);
    assertThat(t.of(RunState.CANCELLED)).isEqualTo(1);
    assertThat(t.of(RunState.RUNNING)).isEqualTo(1);
    assertThat(t.of(RunState.QUEUED)).isEqualTo(1);
    assertThat(t.hours()).isEqualTo(24);
    assertThat(t.inHour(0, RunState.SUCCEEDED)).isEqualTo(2);
    assertThat(t.inHour(1, RunState.CANCELLED)).isEqualTo(1);
    assertThat(t.inHour(23, RunState.RUNNING)).isEqualTo(1);
    assertThat(t.inHour(23, RunState.QUEUED)).isEqualTo(1);
    assertThat(t.inHour(23, RunState.FAILED)).isEqualTo(1);
    long inHours = 0;
    for (int h = 0; h < 24; h++) {
      for (RunState s : RunState.values()) {
        inHours += t.inHour(h, s);
      }
    }
    assertThat(inHours)
        .as("day-start is before the first hour, next-hour after the last")
        .isEqualTo(6);
  }

  @Test
  void counts_runs_by_state_since_an_instant_and_by_hour_with_each_edge_once() throws Exception {
    store = open();
    countsAcrossEdges();
  }

  @Test
  void hours_are_utc_hours_whatever_the_sessions_time_zone() throws Exception {
    store = openInZone("Asia/Kolkata");
    try (var c = store.dataSource().getConnection();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT CAST(CAST(TIMESTAMP WITH TIME ZONE '2026-12-01 00:00:00+00' AS"
                        + " TIMESTAMP) AS VARCHAR(40))")) {
      rs.next();
      assertThat(rs.getString(1)).as("the session is in Kolkata").startsWith("2026-12-01 05:30");
    }
    countsAcrossEdges();
  }

  @Test
  void an_empty_store_counts_zero_in_every_state_and_hour() throws Exception {
    store = open();
    RunCounts.Tally t = new RunCounts(store.dataSource()).count(DAY_AGO, FIRST_HOUR, 24);
    assertThat(t.total()).isZero();
    for (RunState s : RunState.values()) {
      assertThat(t.of(s)).isZero();
      assertThat(t.inHour(12, s)).isZero();
    }
  }

  // ---- recent runs

  @Test
  void the_last_runs_of_each_flow_newest_first_and_none_for_a_flow_that_never_ran()
      throws Exception {
    store = open();
    var runs = new ArrayList<RunRecord>();
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 0; i < 30; i++) {
      runs.add(run("a-" + (100 + i), "shop", "orders", RunState.SUCCEEDED, t0.plusSeconds(i)));
    }
    runs.add(run("b-1", "shop", "returns", RunState.FAILED, t0));
    // two runs created at one instant: the higher id is the newer, as in the runs list
    runs.add(run("b-3", "shop", "returns", RunState.RUNNING, t0.plusSeconds(5)));
    runs.add(run("b-2", "shop", "returns", RunState.SUCCEEDED, t0.plusSeconds(5)));
    // same flow id in another namespace, and a namespace that prefixes another
    runs.add(run("c-1", "shop2", "orders", RunState.FAILED, t0.plusSeconds(99)));
    store.write(inserts(runs, List.of()));
    var never = new RecentRuns.Flow("shop", "never_ran");
    var orders = new RecentRuns.Flow("shop", "orders");
    var returns = new RecentRuns.Flow("shop", "returns");
    var other = new RecentRuns.Flow("shop2", "orders");

    var recent = new RecentRuns(store.dataSource()).of(List.of(never, orders, returns, other), 20);

    assertThat(recent.keySet()).containsExactly(never, orders, returns, other);
    assertThat(recent.get(never)).isEmpty();
    assertThat(recent.get(orders)).hasSize(20);
    assertThat(recent.get(orders).getFirst().id()).isEqualTo("a-129");
    assertThat(recent.get(orders).getLast().id()).isEqualTo("a-110");
    assertThat(recent.get(returns)).extracting(RunRecord::id).containsExactly("b-3", "b-2", "b-1");
    assertThat(recent.get(other)).extracting(RunRecord::id).containsExactly("c-1");
    assertThat(recent.get(other).getFirst()).isEqualTo(store.findRun("c-1").orElseThrow());

    var last = new RecentRuns(store.dataSource()).of(List.of(orders, returns), 1);
    assertThat(last.get(orders)).extracting(RunRecord::id).containsExactly("a-129");
    assertThat(last.get(returns)).extracting(RunRecord::id).containsExactly("b-3");
  }

  @Test
  void more_flows_than_one_statement_holds_are_read_in_several() throws Exception {
    store = open();
    int flows = RecentRuns.FLOWS_PER_STATEMENT * 2 + 7;
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    store.write(
        inserts(
            IntStream.range(0, flows)
                .mapToObj(
                    i -> run("r" + i, "ns", "flow" + i, RunState.SUCCEEDED, t0.plusSeconds(i)))
                .toList(),
            List.of()));
    var keys =
        IntStream.range(0, flows).mapToObj(i -> new RecentRuns.Flow("ns", "flow" + i)).toList();

    var recent = new RecentRuns(store.dataSource()).of(keys, 5);

    assertThat(recent).hasSize(flows);
    for (int i = 0; i < flows; i++) {
      assertThat(recent.get(keys.get(i))).extracting(RunRecord::id).containsExactly("r" + i);
    }
  }

  @Test
  void a_bad_number_of_runs_per_flow_is_refused_with_the_range() throws Exception {
    store = open();
    var recent = new RecentRuns(store.dataSource());
    assertThatThrownBy(() -> recent.of(List.of(new RecentRuns.Flow("a", "b")), 0))
        .hasMessageContaining("1..100, got 0");
  }

  // ---- dataset freshness

  private static TaskRunRecord staged(String runId, String taskId, TaskState state, Instant end) {
    return TaskRunRecord.pending(runId, taskId, 1, 1)
        .ended(state, end, null, "{}", "{\"path\": \"x.parquet\"}", 10);
  }

  @Test
  void freshness_is_the_newest_succeeded_write_whatever_order_the_ends_are_stored_in()
      throws Exception {
    store = open();
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    store.write(
        inserts(
            List.of(
                run("r1", "shop", "orders", RunState.SUCCEEDED, t0),
                run("r2", "shop", "orders", RunState.SUCCEEDED, t0.plusSeconds(60)),
                run("r3", "shop", "orders", RunState.RUNNING, t0.plusSeconds(120))),
            List.of(staged("r2", "extract", TaskState.SUCCEEDED, t0.plusSeconds(65)))));
    // an older write stored later (a slow node) does not move freshness back
    store.write(
        inserts(
            List.of(), List.of(staged("r1", "extract", TaskState.SUCCEEDED, t0.plusSeconds(5)))));
    assertThat(store.lastDatasetWrites())
        .containsExactly(
            new DatasetWrite("shop", "orders", "extract", "r2", t0.plusSeconds(65), 10));

    // an attempt that is updated to its end counts as one inserted ended
    var pending = TaskRunRecord.pending("r3", "extract", 1, 1);
    store.write(inserts(List.of(), List.of(pending)));
    store.write(
        StateStoreContract.updates(
            List.of(),
            List.of(
                pending.ended(TaskState.SUCCEEDED, t0.plusSeconds(125), null, "{}", "{}", 12))));
    // a failed attempt of a newer run, and a success that staged nothing, are no writes
    store.write(
        inserts(
            List.of(run("r4", "shop", "orders", RunState.FAILED, t0.plusSeconds(180))),
            List.of(
                staged("r4", "extract", TaskState.FAILED, t0.plusSeconds(185)),
                TaskRunRecord.pending("r4", "notify", 1, 1)
                    .ended(TaskState.SUCCEEDED, t0.plusSeconds(186), null, "{}", null, -1))));
    assertThat(store.lastDatasetWrites())
        .containsExactly(
            new DatasetWrite("shop", "orders", "extract", "r3", t0.plusSeconds(125), 12));
  }

  @Test
  void a_dataset_never_written_successfully_has_no_freshness() throws Exception {
    store = open();
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    store.write(
        inserts(
            List.of(run("r1", "shop", "orders", RunState.FAILED, t0)),
            List.of(
                staged("r1", "extract", TaskState.FAILED, t0.plusSeconds(5)),
                staged("r1", "load", TaskState.UPSTREAM_FAILED, t0.plusSeconds(6)))));
    assertThat(store.lastDatasetWrites()).isEmpty();
  }

  @Test
  void an_attempt_taken_over_by_a_later_run_keeps_its_time_and_the_higher_run_id_wins()
      throws Exception {
    store = open();
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    TaskRunRecord first = staged("r1", "extract", TaskState.SUCCEEDED, t0.plusSeconds(5));
    store.write(
        inserts(
            List.of(
                run("r1", "shop", "orders", RunState.SUCCEEDED, t0),
                run("r2", "shop", "orders", RunState.SUCCEEDED, t0.plusSeconds(60))),
            List.of(first)));
    store.write(inserts(List.of(), List.of(first.reusedIn("r2"))));
    assertThat(store.lastDatasetWrites())
        .containsExactly(
            new DatasetWrite("shop", "orders", "extract", "r2", t0.plusSeconds(5), 10));
  }
}
