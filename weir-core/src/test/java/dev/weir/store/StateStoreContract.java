package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import dev.weir.store.StateStore.Batch;
import dev.weir.store.StateStore.RunQuery;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} must do. A store passes by extending this class and opening a
 * fresh, empty store in {@link #open()}.
 */
abstract class StateStoreContract {
  static final Instant T0 = Instant.parse("2026-03-01T05:00:00.123Z");

  StateStore store;

  /** A new, empty store. */
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

  // ---- records

  static RunRecord run(String id, String namespace, String flowId, RunState state, Instant at) {
    return new RunRecord(
        id,
        namespace,
        flowId,
        "rev0123456789abc",
        "/flows/" + flowId + ".yaml",
        state,
        "{\"day\":\"2026-03-01\"}",
        at.truncatedTo(ChronoUnit.DAYS),
        "manual",
        1,
        at,
        state == RunState.QUEUED ? null : at.plusSeconds(1),
        state.isTerminal() ? at.plusSeconds(60) : null,
        state == RunState.FAILED ? "task 'load' failed" : null,
        state == RunState.RUNNING ? "host:42" : null);
  }

  static RunRecord run(String id) {
    return run(id, "shop", "orders", RunState.RUNNING, T0);
  }

  static Batch inserts(List<RunRecord> runs, List<TaskRunRecord> tasks) {
    return new Batch(runs, List.of(), tasks, List.of());
  }

  static Batch updates(List<RunRecord> runs, List<TaskRunRecord> tasks) {
    return new Batch(List.of(), runs, List.of(), tasks);
  }

  void insert(RunRecord... runs) {
    store.write(inserts(List.of(runs), List.of()));
  }

  // ---- revisions

  @Test
  void only_one_of_two_racing_claims_on_a_run_wins() {
    RunRecord r = run("claimed");
    store.write(inserts(List.of(r), List.of()));
    assertThat(store.claimRun(r, Claimant.process("host:1"), false)).hasValue(1);
    // owner is no longer the expected "host:42"
    assertThat(store.claimRun(r, Claimant.process("host:2"), false)).isEmpty();
    assertThat(store.findRun("claimed").orElseThrow().owner()).isEqualTo("host:1");
    RunRecord now = store.findRun("claimed").orElseThrow();
    assertThat(store.claimRun(now, Claimant.process("host:3"), false)).hasValue(2);
    RunRecord ended = now.withError("x").ended(RunState.FAILED, T0, "x");
    assertThat(store.claimRun(ended, Claimant.process("h:4"), false)).isEmpty();
  }

  @Test
  void saves_a_revision_once_and_finds_it_by_hash() {
    store.saveRevision("h1", "shop", "orders", "/f/orders.yaml", "id: orders\n");
    store.saveRevision("h1", "shop", "orders", "/f/orders.yaml", "id: orders\n");

    assertThat(store.revisionText("h1")).contains("id: orders\n");
    assertThat(store.revisionText("nope")).isEmpty();
  }

  @Test
  void saving_the_same_revision_concurrently_succeeds_everywhere() throws Exception {
    List<Object> results =
        concurrently(
            8,
            () -> {
              store.saveRevision("same", "shop", "orders", null, "id: orders\n");
              return "ok";
            });
    assertThat(results).containsOnly("ok");
    assertThat(store.revisionText("same")).contains("id: orders\n");
  }

  @Test
  void saves_many_revisions_at_once_each_once_across_chunks() {
    store.saveRevision("h-0", "shop", "orders", null, "id: orders\n");
    var revisions = new ArrayList<StateStore.Revision>();
    for (int i = 0; i < 503; i++) {
      revisions.add(new StateStore.Revision("h-" + i, "shop", "f" + i, null, "id: f" + i + "\n"));
    }
    revisions.add(new StateStore.Revision("h-1", "shop", "f1", null, "a later text, ignored"));

    store.saveRevisions(revisions);
    store.saveRevisions(revisions); // all saved: nothing to do

    assertThat(store.revisionText("h-0")).contains("id: orders\n");
    assertThat(store.revisionText("h-1")).contains("id: f1\n");
    assertThat(store.revisionText("h-502")).contains("id: f502\n");
  }

  // ---- runs and task runs

  @Test
  void a_missing_run_is_empty() {
    assertThat(store.findRun("r-none")).isEmpty();
    assertThat(store.taskRuns("r-none")).isEmpty();
    assertThat(store.logs("r-none", null)).isEmpty();
  }

  @Test
  void inserts_runs_and_task_runs_in_one_batch_and_reads_them_back_equal() {
    RunRecord r = run("r-1");
    TaskRunRecord a = TaskRunRecord.pending("r-1", "extract", 1, 1);
    TaskRunRecord b = TaskRunRecord.pending("r-1", "load", 1, 1).queued(T0.plusMillis(5));

    store.write(inserts(List.of(r), List.of(a, b)));

    assertThat(store.findRun("r-1")).contains(r);
    assertThat(store.taskRuns("r-1")).containsExactly(a, b);
  }

  @Test
  void a_run_with_every_optional_field_empty_round_trips() {
    RunRecord r =
        new RunRecord(
            "r-min",
            "shop",
            "orders",
            "rev",
            null,
            RunState.QUEUED,
            null,
            null,
            null,
            1,
            T0,
            null,
            null,
            null,
            null);
    insert(r);
    assertThat(store.findRun("r-min")).contains(r);
  }

  @Test
  void updates_runs_and_task_runs_in_one_batch() {
    RunRecord r = run("r-1", "shop", "orders", RunState.QUEUED, T0);
    TaskRunRecord a = TaskRunRecord.pending("r-1", "extract", 1, 1);
    store.write(inserts(List.of(r), List.of(a)));

    RunRecord running = r.withOwner(RunState.RUNNING, T0.plusSeconds(1), "host:1");
    TaskRunRecord done =
        a.running(T0.plusSeconds(2))
            .ended(
                TaskState.SUCCEEDED,
                T0.plusSeconds(3),
                null,
                "{\"rows\":3}",
                "{\"path\":\"x.parquet\"}",
                3);
    store.write(updates(List.of(running), List.of(done)));

    assertThat(store.findRun("r-1")).contains(running);
    assertThat(store.taskRuns("r-1")).containsExactly(done);
  }

  @Test
  void a_batch_may_insert_a_new_attempt_and_end_the_old_one_together() {
    TaskRunRecord first = TaskRunRecord.pending("r-1", "load", 1, 1).running(T0);
    store.write(inserts(List.of(run("r-1")), List.of(first)));

    TaskRunRecord failed = first.ended(TaskState.FAILED, T0.plusSeconds(1), "boom", null, null, -1);
    TaskRunRecord second = TaskRunRecord.pending("r-1", "load", 2, 1).retryWait(T0.plusSeconds(11));
    store.write(new Batch(List.of(), List.of(), List.of(second), List.of(failed)));

    assertThat(store.taskRuns("r-1")).containsExactly(failed, second);
  }

  @Test
  void audit_facts_are_written_with_the_attempt_end_and_read_back() {
    TaskRunRecord running = TaskRunRecord.pending("r-1", "load", 1, 1).running(T0);
    store.write(inserts(List.of(run("r-1")), List.of(running)));
    TaskRunRecord done = running.ended(TaskState.SUCCEEDED, T0.plusSeconds(2), null, "{}", null, 8);
    var facts =
        new TaskAuditRecord(
            "r-1",
            "load",
            1,
            10,
            8,
            -1,
            1234,
            -1,
            "abc123",
            "[{\"namespace\":\"file\",\"name\":\"/in.csv\"}]",
            null);
    store.write(new Batch(List.of(), List.of(), List.of(), List.of(done), List.of(facts)));

    assertThat(store.audits("r-1")).containsExactly(facts);
    assertThat(store.audits("r-1").get(0).outputs()).isEqualTo("[]");
    assertThat(store.audits("r-2")).isEmpty();
  }

  @Test
  void audit_facts_are_not_kept_when_their_batch_fails() {
    var facts = new TaskAuditRecord("r-1", "load", 1, 1, 1, 0, -1, -1, null, null, null);
    Batch broken =
        new Batch(
            List.of(run("r-1")), List.of(run("r-ghost")), List.of(), List.of(), List.of(facts));
    assertThatThrownBy(() -> store.write(broken)).isInstanceOf(WeirException.class);
    assertThat(store.audits("r-1")).isEmpty();
  }

  @Test
  void task_runs_come_back_in_insertion_order_not_by_name() {
    TaskRunRecord z = TaskRunRecord.pending("r-1", "zeta", 1, 1);
    TaskRunRecord a = TaskRunRecord.pending("r-1", "alpha", 1, 1);
    TaskRunRecord m = TaskRunRecord.pending("r-1", "mu", 1, 1);
    store.write(inserts(List.of(run("r-1")), List.of(z)));
    store.write(inserts(List.of(), List.of(a, m)));
    TaskRunRecord z2 = TaskRunRecord.pending("r-1", "zeta", 2, 1);
    store.write(inserts(List.of(), List.of(z2)));
    store.write(inserts(List.of(run("r-2")), List.of(TaskRunRecord.pending("r-2", "b", 1, 1))));

    assertThat(store.taskRuns("r-1"))
        .extracting(t -> t.taskId() + "#" + t.attempt())
        .containsExactly("zeta#1", "alpha#1", "mu#1", "zeta#2");
  }

  @Test
  void a_batch_that_fails_midway_leaves_nothing_written() {
    TaskRunRecord a = TaskRunRecord.pending("r-old", "a", 1, 1);
    store.write(inserts(List.of(run("r-old")), List.of(a)));

    RunRecord fresh = run("r-new");
    RunRecord oldUpdated = run("r-old", "shop", "orders", RunState.FAILED, T0);
    TaskRunRecord b = TaskRunRecord.pending("r-new", "b", 1, 1);
    // the duplicate of (r-old, a, 1) fails after the run insert and run update went through
    Batch broken = new Batch(List.of(fresh), List.of(oldUpdated), List.of(b, a), List.of());

    assertThatThrownBy(() -> store.write(broken)).isInstanceOf(WeirException.class);

    assertThat(store.findRun("r-new")).isEmpty();
    assertThat(store.findRun("r-old")).contains(run("r-old"));
    assertThat(store.taskRuns("r-new")).isEmpty();
    assertThat(store.taskRuns("r-old")).containsExactly(a);
  }

  @Test
  void updating_a_run_that_was_never_inserted_fails_the_whole_batch() {
    RunRecord ghost = run("r-ghost");
    Batch batch = new Batch(List.of(run("r-1")), List.of(ghost), List.of(), List.of());

    assertThatThrownBy(() -> store.write(batch))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("cannot update run 'r-ghost': it was never inserted");
    assertThat(store.findRun("r-1")).isEmpty();
  }

  @Test
  void updating_a_task_attempt_that_was_never_inserted_fails_the_whole_batch() {
    insert(run("r-1"));
    TaskRunRecord ghost = TaskRunRecord.pending("r-1", "load", 2, 1);
    RunRecord ended = run("r-1").ended(RunState.SUCCEEDED, T0.plusSeconds(5), null);

    assertThatThrownBy(() -> store.write(updates(List.of(ended), List.of(ghost))))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("cannot update attempt 2 of task 'load' in run 'r-1'");
    assertThat(store.findRun("r-1")).contains(run("r-1"));
  }

  @Test
  void inserting_a_run_twice_fails_and_keeps_the_first() {
    insert(run("r-1"));
    RunRecord other = run("r-1", "other", "flow", RunState.QUEUED, T0.plusSeconds(9));
    assertThatThrownBy(() -> insert(other)).isInstanceOf(WeirException.class);
    assertThat(store.findRun("r-1")).contains(run("r-1"));
  }

  @Test
  void an_empty_batch_is_a_no_op() {
    store.write(new Batch(List.of(), List.of(), List.of(), List.of()));
    assertThat(store.listRuns(RunQuery.latest(10))).isEmpty();
  }

  // ---- listing

  @Test
  void lists_runs_newest_first_up_to_the_limit() {
    insert(
        run("r-b", "shop", "orders", RunState.SUCCEEDED, T0),
        run("r-c", "shop", "orders", RunState.FAILED, T0.plusSeconds(20)),
        run("r-a", "shop", "orders", RunState.RUNNING, T0.plusSeconds(10)));

    assertThat(store.listRuns(RunQuery.latest(10)))
        .extracting(RunRecord::id)
        .containsExactly("r-c", "r-a", "r-b");
    assertThat(store.listRuns(RunQuery.latest(2)))
        .extracting(RunRecord::id)
        .containsExactly("r-c", "r-a");
  }

  @Test
  void runs_created_at_the_same_instant_are_ordered_by_id_descending() {
    insert(
        run("r-1", "shop", "orders", RunState.SUCCEEDED, T0),
        run("r-3", "shop", "orders", RunState.SUCCEEDED, T0),
        run("r-2", "shop", "orders", RunState.SUCCEEDED, T0));
    assertThat(store.listRuns(RunQuery.latest(10)))
        .extracting(RunRecord::id)
        .containsExactly("r-3", "r-2", "r-1");
  }

  @Test
  void lists_runs_filtered_by_namespace_flow_and_state() {
    insert(
        run("r-1", "shop", "orders", RunState.SUCCEEDED, T0),
        run("r-2", "shop", "orders", RunState.FAILED, T0.plusSeconds(1)),
        run("r-3", "shop", "customers", RunState.FAILED, T0.plusSeconds(2)),
        run("r-4", "hr", "orders", RunState.FAILED, T0.plusSeconds(3)));

    assertThat(store.listRuns(new RunQuery("shop", null, null, 10)))
        .extracting(RunRecord::id)
        .containsExactly("r-3", "r-2", "r-1");
    assertThat(store.listRuns(new RunQuery("shop", "orders", null, 10)))
        .extracting(RunRecord::id)
        .containsExactly("r-2", "r-1");
    assertThat(store.listRuns(new RunQuery(null, "orders", RunState.FAILED, 10)))
        .extracting(RunRecord::id)
        .containsExactly("r-4", "r-2");
    assertThat(store.listRuns(new RunQuery("shop", "orders", RunState.FAILED, 10)))
        .extracting(RunRecord::id)
        .containsExactly("r-2");
    assertThat(store.listRuns(new RunQuery("none", null, null, 10))).isEmpty();
  }

  @Test
  void finds_runs_by_id_prefix_newest_first() {
    insert(
        run("20260301-aaa", "shop", "orders", RunState.SUCCEEDED, T0),
        run("20260301-aab", "shop", "orders", RunState.SUCCEEDED, T0.plusSeconds(1)),
        run("20260302-abc", "shop", "orders", RunState.SUCCEEDED, T0.plusSeconds(2)));

    assertThat(store.findRunsByPrefix("20260301-aa", 10))
        .extracting(RunRecord::id)
        .containsExactly("20260301-aab", "20260301-aaa");
    assertThat(store.findRunsByPrefix("2026", 2))
        .extracting(RunRecord::id)
        .containsExactly("20260302-abc", "20260301-aab");
    assertThat(store.findRunsByPrefix("20260301-aaa", 10))
        .extracting(RunRecord::id)
        .containsExactly("20260301-aaa");
    assertThat(store.findRunsByPrefix("x", 10)).isEmpty();
  }

  @Test
  void a_prefix_is_matched_literally_not_as_a_pattern() {
    insert(
        run("a_b-1", "shop", "orders", RunState.SUCCEEDED, T0),
        run("axb-2", "shop", "orders", RunState.SUCCEEDED, T0.plusSeconds(1)),
        run("a%c-3", "shop", "orders", RunState.SUCCEEDED, T0.plusSeconds(2)),
        run("a\\d-4", "shop", "orders", RunState.SUCCEEDED, T0.plusSeconds(3)),
        run("abc-5", "shop", "orders", RunState.SUCCEEDED, T0.plusSeconds(4)));

    assertThat(store.findRunsByPrefix("a_", 10)).extracting(RunRecord::id).containsExactly("a_b-1");
    assertThat(store.findRunsByPrefix("a%", 10)).extracting(RunRecord::id).containsExactly("a%c-3");
    assertThat(store.findRunsByPrefix("a\\", 10))
        .extracting(RunRecord::id)
        .containsExactly("a\\d-4");
  }

  @Test
  void resolves_a_run_by_id_or_by_a_prefix_only_one_run_has() {
    insert(
        run("20260301-aaa", "shop", "orders", RunState.SUCCEEDED, T0),
        run("20260301-aab", "shop", "orders", RunState.SUCCEEDED, T0.plusSeconds(1)));

    assertThat(store.resolveRun("20260301-aaa").id()).isEqualTo("20260301-aaa");
    assertThat(store.resolveRun("20260301-aab").id()).isEqualTo("20260301-aab");
    assertThatThrownBy(() -> store.resolveRun("20260301-aa"))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("is ambiguous");
    assertThatThrownBy(() -> store.resolveRun("x"))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("no run 'x'");
  }

  @Test
  void rows_of_another_component_are_written_in_the_batch_s_transaction() {
    var jdbc = (JdbcStateStore) store; // both stores of this suite are JDBC stores
    jdbc.write(
        inserts(List.of(run("r-1")), List.of()),
        c -> {
          try (var st = c.createStatement()) {
            st.execute("SELECT 1");
          }
        });
    assertThat(store.findRun("r-1")).isPresent();

    assertThatThrownBy(() ->
            jdbc.write(
                inserts(List.of(run("r-2")), List.of()),
                c -> {
                  throw new java.sql.SQLException("the other rows failed");
                }))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("the other rows failed");
    assertThat(store.findRun("r-2")).isEmpty();
  }

  // ---- logs

  @Test
  void logs_come_back_in_the_order_written_and_filter_by_task() {
    store.appendLogs(
        List.of(
            new LogLine("r-1", "extract", 1, T0, "INFO", "starting"),
            new LogLine("r-1", null, 0, T0.plusMillis(1), "INFO", "run started"),
            new LogLine("r-1", "load", 1, T0, "WARN", "slow")));
    store.appendLogs(
        List.of(
            new LogLine("r-1", "extract", 1, T0.minusSeconds(5), "ERROR", "late line, early time"),
            new LogLine("r-2", "extract", 1, T0, "INFO", "another run")));

    assertThat(store.logs("r-1", null))
        .extracting(LogLine::message)
        .containsExactly("starting", "run started", "slow", "late line, early time");
    assertThat(store.logs("r-1", "extract"))
        .containsExactly(
            new LogLine("r-1", "extract", 1, T0, "INFO", "starting"),
            new LogLine("r-1", "extract", 1, T0.minusSeconds(5), "ERROR", "late line, early time"));
    assertThat(store.logs("r-1", "nope")).isEmpty();
  }

  @Test
  void appending_no_lines_is_a_no_op() {
    store.appendLogs(List.of());
    assertThat(store.logs("r-1", null)).isEmpty();
  }

  @Test
  void log_retention_deletes_lines_of_runs_ended_before_the_cutoff_only() {
    RunRecord old = run("old", "ns", "f", RunState.QUEUED, T0);
    RunRecord recent = run("new", "ns", "f", RunState.QUEUED, T0);
    store.write(
        inserts(List.of(old, recent, run("going", "ns", "f", RunState.RUNNING, T0)), List.of()));
    store.write(
        updates(
            List.of(
                old.ended(RunState.FAILED, T0, "x"),
                recent.ended(RunState.SUCCEEDED, T0.plusSeconds(3600), null)),
            List.of()));
    for (String id : List.of("old", "new", "going")) {
      store.appendLogs(
          List.of(
              new LogLine(id, "t", 1, T0, "INFO", "one"),
              new LogLine(id, "t", 1, T0, "INFO", "two")));
    }

    assertThat(store.endedAt(List.of("old", "new", "going", "unknown")))
        .containsOnlyKeys("old", "new")
        .containsEntry("old", T0)
        .containsEntry("new", T0.plusSeconds(3600));
    assertThat(store.deleteLogsOfRunsEndedBefore(T0.plusSeconds(60))).isEqualTo(2);
    assertThat(store.logs("old", null)).isEmpty();
    assertThat(store.logs("new", null)).hasSize(2);
    assertThat(store.logs("going", null)).hasSize(2);
    assertThat(store.deleteLogsOfRunsEndedBefore(T0.plusSeconds(60))).isZero();
  }

  // ---- state

  @Test
  void state_is_inserted_then_updated_per_key() {
    assertThat(store.getState("shop", "orders", "extract", "watermark")).isEmpty();

    store.putState("shop", "orders", "extract", "watermark", "2026-03-01T00:00:00Z");
    store.putState("shop", "orders", "extract", "watermark", "2026-03-02T00:00:00Z");
    store.putState("shop", "orders", "extract", "cursor", "17");
    store.putState("shop", "orders", "load", "watermark", "other task");
    store.putState("hr", "orders", "extract", "watermark", "other namespace");

    assertThat(store.getState("shop", "orders", "extract", "watermark"))
        .contains("2026-03-02T00:00:00Z");
    assertThat(store.getState("shop", "orders", "extract", "cursor")).contains("17");
    assertThat(store.getState("shop", "orders", "load", "watermark")).contains("other task");
    assertThat(store.getState("hr", "orders", "extract", "watermark")).contains("other namespace");
  }

  @Test
  void putting_new_state_concurrently_succeeds_everywhere() throws Exception {
    List<Object> results =
        concurrently(
            8,
            () -> {
              store.putState("shop", "orders", "extract", "watermark", "v");
              return "ok";
            });
    assertThat(results).containsOnly("ok");
    assertThat(store.getState("shop", "orders", "extract", "watermark")).contains("v");
  }

  // ---- values

  @Test
  void timestamps_round_trip_to_the_millisecond() {
    Instant precise = Instant.parse("2026-03-01T23:59:59.987654321Z");
    Instant millis = Instant.parse("1999-12-31T23:59:59.999Z");
    RunRecord r = run("r-t", "shop", "orders", RunState.SUCCEEDED, millis);
    TaskRunRecord t =
        TaskRunRecord.pending("r-t", "a", 1, 1)
            .running(precise)
            .ended(TaskState.SUCCEEDED, precise.plusMillis(1), null, null, null, 0);
    store.write(inserts(List.of(r), List.of(t)));
    store.appendLogs(List.of(new LogLine("r-t", "a", 1, precise, "INFO", "x")));

    assertThat(store.findRun("r-t").orElseThrow().createdAt()).isEqualTo(millis);
    TaskRunRecord back = store.taskRuns("r-t").get(0);
    assertThat(back.startedAt().truncatedTo(ChronoUnit.MILLIS))
        .isEqualTo(precise.truncatedTo(ChronoUnit.MILLIS));
    assertThat(back.duration().toMillis()).isEqualTo(1);
    assertThat(store.logs("r-t", "a").get(0).time().truncatedTo(ChronoUnit.MILLIS))
        .isEqualTo(precise.truncatedTo(ChronoUnit.MILLIS));
  }

  @Test
  void long_error_output_and_log_text_is_clipped_not_refused() {
    String huge = "x".repeat(250_000) + "END";
    RunRecord r =
        run("r-big", "shop", "orders", RunState.QUEUED, T0).ended(RunState.FAILED, T0, huge);
    TaskRunRecord t =
        TaskRunRecord.pending("r-big", "a", 1, 1)
            .ended(TaskState.FAILED, T0, huge, "{\"out\":\"" + huge + "\"}", null, -1);
    store.write(inserts(List.of(r), List.of(t)));
    store.appendLogs(List.of(new LogLine("r-big", "a", 1, T0, "ERROR", huge)));

    String runError = store.findRun("r-big").orElseThrow().error();
    String taskError = store.taskRuns("r-big").get(0).error();
    String log = store.logs("r-big", "a").get(0).message();
    for (String clipped : List.of(runError, taskError, log)) {
      assertThat(clipped).hasSizeLessThan(huge.length()).startsWith("xxxxxxxxxx");
      assertThat(clipped).endsWith("… (50003 more characters)");
    }
    assertThat(store.taskRuns("r-big").get(0).outputs()).hasSizeLessThan(huge.length());
  }

  @Test
  void text_keeps_unicode_and_quotes() {
    String text = "naïve 'quoted' \"double\" — 日本語 🚀 \\ back";
    RunRecord r =
        run("r-u", "shop", "orders", RunState.FAILED, T0).ended(RunState.FAILED, T0, text);
    insert(r);
    store.appendLogs(List.of(new LogLine("r-u", null, 0, T0, "INFO", text)));
    store.putState("shop", "orders", "a", "k", text);

    assertThat(store.findRun("r-u").orElseThrow().error()).isEqualTo(text);
    assertThat(store.logs("r-u", null).get(0).message()).isEqualTo(text);
    assertThat(store.getState("shop", "orders", "a", "k")).contains(text);
  }

  @Test
  void keeps_the_processes_a_run_s_attempts_started_with_pid_group_and_start_time() {
    insert(run("r-p"), run("r-other"));
    Instant started = Instant.parse("2026-03-01T05:00:01.250Z");
    var grouped = new TaskProcess("r-p", "sleep", 1, 4242, 4242L, started, "host-a");
    var plain = new TaskProcess("r-p", "export", 2, 77, null, null, "host-a");
    store.recordProcess(grouped);
    store.recordProcess(plain);
    store.recordProcess(new TaskProcess("r-other", "sleep", 1, 4243, 4243L, started, "host-a"));
    // the same pid again in one attempt: a reused pid, the newer process replaces the older
    var reused = new TaskProcess("r-p", "sleep", 1, 4242, 4242L, started.plusSeconds(30), "host-a");
    store.recordProcess(reused);

    assertThat(store.processes("r-p")).containsExactly(plain, reused);
    assertThat(store.processes("r-none")).isEmpty();
  }

  // ---- helpers

  /** Runs {@code work} on {@code n} threads released at once; results or thrown exceptions. */
  static List<Object> concurrently(int n, Callable<Object> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      var start = new CountDownLatch(1);
      var futures = new ArrayList<Future<Object>>();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(() -> {
              start.await();
              try {
                return work.call();
              } catch (Exception e) {
                return e;
              }
            }));
      }
      start.countDown();
      var out = new ArrayList<Object>();
      for (Future<Object> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
