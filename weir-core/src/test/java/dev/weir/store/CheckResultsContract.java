package dev.weir.store;

import static dev.weir.store.StateStoreContract.T0;
import static dev.weir.store.StateStoreContract.inserts;
import static dev.weir.store.StateStoreContract.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link StateStore} does with quality check results and row-count history. */
abstract class CheckResultsContract {
  StateStore store;

  abstract StateStore open() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  static CheckRecord check(
      String runId, int attempt, int no, String kind, boolean passed, Instant at) {
    return new CheckRecord(
        runId,
        "check_orders",
        attempt,
        no,
        "shop",
        "orders",
        "extract",
        kind + "(x)",
        kind,
        passed,
        passed ? "error" : "warn",
        passed ? 0 : 3,
        kind.equals("rowCount") ? 1000.0 : null,
        passed ? "no failing rows" : "3 failing rows, e.g. {id=1, note='ünïcode'}",
        at);
  }

  /** A run of shop/orders in {@code state} whose task extract staged {@code rows} rows. */
  private void ranWith(String runId, RunState state, TaskState task, long rows, Instant at) {
    store.write(
        inserts(
            List.of(run(runId, "shop", "orders", state, at)),
            List.of(
                TaskRunRecord.pending(runId, "extract", 1, 1)
                    .ended(task, at.plusSeconds(5), null, "{}", null, rows))));
  }

  @Test
  void check_results_round_trip_in_check_order() {
    ranWith("r1", RunState.SUCCEEDED, TaskState.SUCCEEDED, 1000, T0);
    var results =
        List.of(check("r1", 1, 0, "rowCount", true, T0), check("r1", 1, 1, "notNull", false, T0));
    store.saveChecks("r1", "check_orders", 1, results);
    assertThat(store.checks("r1")).containsExactlyElementsOf(results);
    assertThat(store.checks("r2")).isEmpty();
  }

  @Test
  void saving_an_attempt_again_replaces_its_results_and_keeps_other_attempts() {
    ranWith("r1", RunState.SUCCEEDED, TaskState.SUCCEEDED, 1000, T0);
    store.saveChecks("r1", "check_orders", 1, List.of(check("r1", 1, 0, "unique", false, T0)));
    store.saveChecks(
        "r1", "check_orders", 2, List.of(check("r1", 2, 0, "unique", false, T0.plusSeconds(9))));
    store.saveChecks(
        "r1", "check_orders", 2, List.of(check("r1", 2, 0, "unique", true, T0.plusSeconds(10))));
    assertThat(store.checks("r1"))
        .extracting(CheckRecord::attempt, CheckRecord::passed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, false),
            org.assertj.core.groups.Tuple.tuple(2, true));
  }

  @Test
  void history_is_newest_first_per_dataset_up_to_the_limit() {
    for (int i = 0; i < 4; i++) {
      String id = "r" + i;
      ranWith(id, RunState.SUCCEEDED, TaskState.SUCCEEDED, 1000, T0.plusSeconds(i * 60L));
      store.saveChecks(
          id,
          "check_orders",
          1,
          List.of(check(id, 1, 0, "rowCount", true, T0.plusSeconds(i * 60L))));
    }
    assertThat(store.checkHistory("shop", "orders", "extract", 3))
        .extracting(CheckRecord::runId)
        .containsExactly("r3", "r2", "r1");
    assertThat(store.checkHistory("shop", "orders", null, 10)).hasSize(4);
    assertThat(store.checkHistory("shop", "orders", "load", 10)).isEmpty();
    assertThat(store.checkHistory("shop", "other", "extract", 10)).isEmpty();
  }

  @Test
  void row_count_history_counts_only_succeeded_tasks_of_succeeded_runs() {
    ranWith("r1", RunState.SUCCEEDED, TaskState.SUCCEEDED, 1000, T0);
    ranWith("r2", RunState.FAILED, TaskState.SUCCEEDED, 50, T0.plusSeconds(60));
    ranWith("r3", RunState.SUCCEEDED, TaskState.SUCCEEDED, 1010, T0.plusSeconds(120));
    ranWith("r4", RunState.SUCCEEDED, TaskState.SKIPPED, 0, T0.plusSeconds(180));
    ranWith("r5", RunState.RUNNING, TaskState.SUCCEEDED, 100, T0.plusSeconds(240));
    assertThat(store.rowCountHistory("shop", "orders", "extract", "r5", 10))
        .containsExactly(1010L, 1000L);
    assertThat(store.rowCountHistory("shop", "orders", "extract", "r3", 10)).containsExactly(1000L);
    assertThat(store.rowCountHistory("shop", "orders", "extract", "r5", 1)).containsExactly(1010L);
    assertThat(store.rowCountHistory("shop", "orders", "load", "r5", 10)).isEmpty();
  }

  /**
   * Task {@code taskId} of a run of {@code flow} ended in {@code state}, staging a dataset or not.
   */
  private static TaskRunRecord staged(
      String runId, String taskId, TaskState state, boolean dataset, long rows, Instant end) {
    return TaskRunRecord.pending(runId, taskId, 1, 1)
        .ended(state, end, null, "{}", dataset ? "{\"path\": \"x.parquet\"}" : null, rows);
  }

  @Test
  void the_last_succeeded_write_of_each_dataset_is_its_freshness() {
    store.write(
        inserts(
            List.of(
                run("w1", "shop", "orders", RunState.SUCCEEDED, T0),
                run("w2", "shop", "orders", RunState.FAILED, T0.plusSeconds(3600)),
                run("w3", "shop", "other", RunState.SUCCEEDED, T0.plusSeconds(60))),
            List.of(
                staged("w1", "extract", TaskState.SUCCEEDED, true, 1000, T0.plusSeconds(5)),
                staged("w1", "notify", TaskState.SUCCEEDED, false, -1, T0.plusSeconds(6)),
                // a later write in a run that failed afterwards still counts: the task wrote
                staged("w2", "extract", TaskState.SUCCEEDED, true, 990, T0.plusSeconds(3605)),
                // a failed attempt wrote nothing
                staged("w2", "shape", TaskState.FAILED, true, 7, T0.plusSeconds(3606)),
                staged("w3", "extract", TaskState.SUCCEEDED, true, 5, T0.plusSeconds(65)))));

    assertThat(store.lastDatasetWrites())
        .containsExactly(
            new DatasetWrite("shop", "orders", "extract", "w2", T0.plusSeconds(3605), 990),
            new DatasetWrite("shop", "other", "extract", "w3", T0.plusSeconds(65), 5));
  }

  @Test
  void a_store_without_writes_has_no_freshness() {
    ranWith("r1", RunState.FAILED, TaskState.FAILED, 0, T0);
    assertThat(store.lastDatasetWrites()).isEmpty();
  }
}
