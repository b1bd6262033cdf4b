package dev.weir.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRetentionTest {
  @TempDir Path dir;
  StateStore store;
  Path logs;
  SettableClock clock = SettableClock.at("2026-06-01T00:00:00Z");

  @BeforeEach
  void open() {
    store = JdbcStateStore.h2(dir.resolve(".weir"));
    logs = dir.resolve("logs");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void run(String id, RunState state, Instant ended) throws Exception {
    var r =
        new RunRecord(
            id,
            "ns",
            "flow",
            "rev",
            dir.resolve("flow.yaml").toString(),
            state,
            "{}",
            ended,
            "manual",
            1,
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:00:00Z"),
            state.isTerminal() ? ended : null,
            null,
            null);
    store.write(new StateStore.Batch(List.of(r), List.of(), List.of(), List.of()));
    store.appendLogs(List.of(new LogLine(id, "t", 1, ended, "INFO", "line of " + id)));
    Path f = JsonLogFiles.file(logs, "ns", "flow", id);
    Files.createDirectories(f.getParent());
    Files.writeString(f, "{}\n");
  }

  @Test
  void deletes_logs_of_runs_ended_before_the_retention_and_keeps_the_rest() throws Exception {
    run("old", RunState.FAILED, Instant.parse("2026-04-01T00:00:00Z")); // 61 days before
    run("recent", RunState.SUCCEEDED, Instant.parse("2026-05-20T00:00:00Z")); // 12 days
    run("going", RunState.RUNNING, Instant.parse("2026-03-01T00:00:00Z")); // old, not ended
    var retention = new LogRetention(store, logs, Duration.ofDays(30), clock);

    var swept = retention.sweep();

    assertThat(swept.cutoff()).isEqualTo(Instant.parse("2026-05-02T00:00:00Z"));
    assertThat(swept.storeLines()).isEqualTo(1);
    assertThat(swept.files()).isEqualTo(1);
    assertThat(store.logs("old", null)).isEmpty();
    assertThat(JsonLogFiles.file(logs, "ns", "flow", "old")).doesNotExist();
    assertThat(store.logs("recent", null)).hasSize(1);
    assertThat(JsonLogFiles.file(logs, "ns", "flow", "recent")).exists();
    assertThat(store.logs("going", null)).hasSize(1);
    assertThat(JsonLogFiles.file(logs, "ns", "flow", "going")).exists();

    // 20 days later the recent run is past the retention too; a second sweep finds nothing more
    clock.advance(Duration.ofDays(20));
    assertThat(retention.sweep().files()).isEqualTo(1);
    assertThat(store.logs("recent", null)).isEmpty();
    assertThat(JsonLogFiles.file(logs, "ns", "flow", "recent")).doesNotExist();
    assertThat(retention.sweep()).extracting(s -> s.storeLines() + s.files()).isEqualTo(0);
    assertThat(JsonLogFiles.file(logs, "ns", "flow", "going")).exists();
  }

  @Test
  void a_file_of_a_run_the_store_does_not_know_goes_when_it_was_written_before_the_cutoff()
      throws Exception {
    Path stray = JsonLogFiles.file(logs, "ns", "gone", "run_deleted");
    Files.createDirectories(stray.getParent());
    Files.writeString(stray, "{}\n");
    var retention = new LogRetention(store, logs, Duration.ofDays(30), clock);
    clock.set(Instant.now().plus(Duration.ofDays(1)));
    assertThat(retention.sweep().files()).isZero();
    clock.set(Instant.now().plus(Duration.ofDays(31)));
    assertThat(retention.sweep().files()).isEqualTo(1);
    assertThat(stray).doesNotExist();
    assertThat(stray.getParent()).doesNotExist(); // the empty flow folder went with it
  }

  @Test
  void a_retention_must_be_positive() {
    assertThatThrownBy(() -> new LogRetention(store, logs, Duration.ZERO, clock))
        .hasMessageContaining("logs.retention must be a positive duration such as 30d");
  }
}
