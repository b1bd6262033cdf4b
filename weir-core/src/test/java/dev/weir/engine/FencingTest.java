package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.Claimant;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines on one store, as two nodes of a cluster: when one takes a run over from the other
 * (the other was cut off past its lease), the writes the other still makes for it change nothing,
 * and it stops executing the run.
 */
class FencingTest {
  private static final String FLOW =
      """
      id: fenced
      namespace: shop
      tasks:
        - id: extract
          type: test.block
          latch: go
        - id: load
          type: test.ok
          dependsOn: [extract]
      """;

  @TempDir Path dir;
  private StateStore store;
  private EngineFixture first;
  private EngineFixture second;

  @BeforeEach
  void engines() {
    TestTasks.reset();
    store = JdbcStateStore.h2(dir.resolve(".weir"));
    first = engine(Claimant.process("first-host:1"));
    second = engine(Claimant.process("second-host:2"));
  }

  private EngineFixture engine(Claimant who) {
    return new EngineFixture(
        dir, store, Map.of(), EngineOptions.defaults(dir.resolve(".weir")).withClaimant(() -> who));
  }

  @AfterEach
  void close() {
    TestTasks.open("go");
    first.engine.close();
    second.engine.close();
    store.close();
  }

  @Test
  void the_writes_of_an_engine_whose_run_was_taken_over_change_nothing() throws Exception {
    RunHandle stale = first.start("fenced.yaml", FLOW);
    first.awaitTasks(stale.runId(), t -> t.get("extract").state() == TaskState.RUNNING);
    assertThat(store.findRun(stale.runId()).orElseThrow().owner()).isEqualTo("first-host:1");

    // the first engine looks alive (another host), so only a forced resume takes the run
    RunHandle current = second.engine.resume(stale.runId(), true);
    assertThat(store.findRun(stale.runId()).orElseThrow().owner()).isEqualTo("second-host:2");
    second.awaitTasks(
        stale.runId(),
        t -> t.get("extract").attempt() == 2 && t.get("extract").state() == TaskState.RUNNING);

    TestTasks.open("go"); // both engines' attempts of extract end now
    RunRecord staleEnd = stale.completion().get(10, TimeUnit.SECONDS);
    RunRecord end = current.completion().get(10, TimeUnit.SECONDS);

    assertThat(end.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(staleEnd.state()).isEqualTo(RunState.RUNNING); // what the first engine last wrote
    List<TaskRunRecord> extract = first.attempts(stale.runId(), "extract");
    // the first engine's attempt was interrupted by the takeover; its success was not written
    assertThat(extract)
        .extracting(TaskRunRecord::state)
        .containsExactly(TaskState.FAILED, TaskState.SUCCEEDED);
    assertThat(TestTasks.started(stale.runId(), "load")).isEqualTo(1);
    assertThat(store.findRun(stale.runId()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
  }
}
