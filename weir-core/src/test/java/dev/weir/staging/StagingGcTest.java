package dev.weir.staging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingGcTest {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  @TempDir Path dir;
  StateStore store;
  Path staging;
  SettableClock clock = SettableClock.at(NOW.toString());

  @BeforeEach
  void open() {
    store = JdbcStateStore.h2(dir.resolve(".weir"));
    staging = dir.resolve(".weir/staging");
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** A run of {@code flow} created {@code ageDays} ago, ended then when terminal, with staging. */
  private void run(String id, String flow, RunState state, int ageDays) throws Exception {
    Instant at = NOW.minus(Duration.ofDays(ageDays));
    var r =
        new RunRecord(
            id,
            "ns",
            flow,
            "rev",
            dir.resolve(flow + ".yaml").toString(),
            state,
            "{}",
            at,
            "manual",
            1,
            at,
            at,
            state.isTerminal() ? at : null,
            null,
            null);
    store.write(new StateStore.Batch(List.of(r), List.of(), List.of(), List.of()));
    stage(id);
  }

  private Path stage(String runId) throws Exception {
    Path f = staging.resolve(runId).resolve("extract/attempt-1/data.parquet");
    Files.createDirectories(f.getParent());
    Files.write(f, new byte[1000]);
    return f;
  }

  private Map<String, StagingGc.Verdict> verdicts(StagingGc.Swept s) {
    return s.entries().stream()
        .collect(Collectors.toMap(StagingGc.Entry::runId, StagingGc.Entry::verdict));
  }

  @Test
  void succeeded_runs_go_once_a_newer_run_exists_and_the_latest_stays_for_the_dev_loop()
      throws Exception {
    run("r1", "orders", RunState.SUCCEEDED, 3);
    run("r2", "orders", RunState.SUCCEEDED, 2);
    run("r3", "orders", RunState.SUCCEEDED, 1);
    run("c1", "customers", RunState.SUCCEEDED, 1);

    var swept = new StagingGc(store, staging, StagingPolicy.DEFAULT, clock).sweep(true);

    assertThat(verdicts(swept))
        .containsEntry("r1", StagingGc.Verdict.DELETE_SUPERSEDED)
        .containsEntry("r2", StagingGc.Verdict.DELETE_SUPERSEDED)
        .containsEntry("r3", StagingGc.Verdict.KEEP_LATEST)
        .containsEntry("c1", StagingGc.Verdict.KEEP_LATEST);
    assertThat(staging.resolve("r1")).doesNotExist();
    assertThat(staging.resolve("r2")).doesNotExist();
    assertThat(staging.resolve("r3")).exists();
    assertThat(staging.resolve("c1")).exists();
    assertThat(swept.deletedBytes()).isEqualTo(2000);
    assertThat(swept.keptBytes()).isEqualTo(2000);
  }

  @Test
  void failed_and_cancelled_runs_keep_their_staging_for_retry_until_the_retention_passes()
      throws Exception {
    run("f1", "orders", RunState.FAILED, 2);
    run("x1", "orders", RunState.CANCELLED, 2);
    run("s1", "orders", RunState.SUCCEEDED, 1);
    var gc = new StagingGc(store, staging, StagingPolicy.DEFAULT, clock);

    assertThat(verdicts(gc.sweep()))
        .containsEntry("f1", StagingGc.Verdict.KEEP_FAILED)
        .containsEntry("x1", StagingGc.Verdict.KEEP_FAILED)
        .containsEntry("s1", StagingGc.Verdict.KEEP_LATEST);

    clock.advance(Duration.ofDays(6)); // f1 and x1 ended 8 days ago now, s1 7 days ago
    var swept = gc.sweep();

    assertThat(verdicts(swept))
        .containsEntry("f1", StagingGc.Verdict.DELETE_EXPIRED)
        .containsEntry("x1", StagingGc.Verdict.DELETE_EXPIRED)
        .containsEntry("s1", StagingGc.Verdict.DELETE_EXPIRED);
    assertThat(Files.list(staging).toList()).isEmpty();
  }

  @Test
  void without_keep_failed_a_failed_run_goes_like_a_succeeded_one() throws Exception {
    run("f1", "orders", RunState.FAILED, 2);
    run("f2", "orders", RunState.FAILED, 1);

    var swept =
        new StagingGc(store, staging, new StagingPolicy(Duration.ofDays(7), false), clock).sweep();

    assertThat(verdicts(swept))
        .containsEntry("f1", StagingGc.Verdict.DELETE_SUPERSEDED)
        .containsEntry("f2", StagingGc.Verdict.KEEP_LATEST);
  }

  @Test
  void runs_that_have_not_ended_keep_their_staging_however_old() throws Exception {
    run("going", "orders", RunState.RUNNING, 30);
    run("queued", "orders", RunState.QUEUED, 30);
    run("newer", "orders", RunState.SUCCEEDED, 0);

    var swept =
        new StagingGc(store, staging, new StagingPolicy(Duration.ZERO, true), clock).sweep();

    assertThat(verdicts(swept))
        .containsEntry("going", StagingGc.Verdict.KEEP_NOT_ENDED)
        .containsEntry("queued", StagingGc.Verdict.KEEP_NOT_ENDED)
        .containsEntry("newer", StagingGc.Verdict.DELETE_EXPIRED);
    assertThat(staging.resolve("going")).exists();
  }

  @Test
  void a_directory_of_a_run_the_store_does_not_know_goes_when_untouched_for_the_retention()
      throws Exception {
    Path old = stage("gone-old");
    stage("gone-new");
    Instant longAgo = NOW.minus(Duration.ofDays(10));
    for (Path p :
        List.of(old, old.getParent(), old.getParent().getParent(), staging.resolve("gone-old"))) {
      Files.setLastModifiedTime(p, FileTime.from(longAgo));
    }
    // the clock is in 2026-06; the new directory was written "now" by the file system
    clock.set(Instant.now());
    var gc = new StagingGc(store, staging, StagingPolicy.DEFAULT, clock);

    var swept = gc.sweep();

    assertThat(verdicts(swept))
        .containsEntry("gone-old", StagingGc.Verdict.DELETE_UNKNOWN_RUN)
        .containsEntry("gone-new", StagingGc.Verdict.KEEP_UNKNOWN_RUN);
  }

  @Test
  void the_sweep_after_a_run_measures_only_what_it_deletes() throws Exception {
    run("r1", "orders", RunState.SUCCEEDED, 2);
    run("r2", "orders", RunState.SUCCEEDED, 1);

    var swept = new StagingGc(store, staging, StagingPolicy.DEFAULT, clock).sweep();

    assertThat(swept.entries())
        .extracting(StagingGc.Entry::runId, StagingGc.Entry::bytes)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("r1", 1000L),
            org.assertj.core.groups.Tuple.tuple("r2", -1L));
    assertThat(swept.keptBytes()).isZero();
  }

  @Test
  void a_plan_deletes_nothing() throws Exception {
    run("r1", "orders", RunState.SUCCEEDED, 2);
    run("r2", "orders", RunState.SUCCEEDED, 1);

    var plan = new StagingGc(store, staging, StagingPolicy.DEFAULT, clock).plan();

    assertThat(plan.deleted()).extracting(StagingGc.Entry::runId).containsExactly("r1");
    assertThat(staging.resolve("r1")).exists();
  }

  @Test
  void no_staging_directory_is_nothing_to_do() {
    assertThat(new StagingGc(store, staging, StagingPolicy.DEFAULT, clock).sweep().entries())
        .isEmpty();
  }
}
