package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.StepTasks;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the rows of many steps reach the store: in a few writes, never late; their logs whole. */
class StepWritesTest {
  private static final int STEPS = 200;

  @TempDir Path dir;
  final List<StateStore.Batch> writes = new CopyOnWriteArrayList<>();
  EngineFixture fx;

  @BeforeEach
  void setUp() {
    StepTasks.reset();
    StateStore store = JdbcStateStore.h2(dir.resolve(".weir"));
    fx = new EngineFixture(dir, counting(store), Map.of(), RunListener.NONE);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  // the store, noting each write
  private StateStore counting(StateStore store) {
    return (StateStore)
        Proxy.newProxyInstance(
            StateStore.class.getClassLoader(),
            new Class<?>[] {StateStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("write") && args[0] instanceof StateStore.Batch b) {
                writes.add(b);
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void steps_one_after_another_share_a_few_writes_all_stored_by_the_parents_end() throws Exception {
    RunRecord run =
        fx.run(
            """
            id: seq
            namespace: shop
            tasks:
              - id: m
                type: test.steps
                sequence: %d
            """
                .formatted(STEPS));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    Map<String, TaskRunRecord> stored = fx.latest(run.id());
    for (int i = 0; i < STEPS; i++) {
      assertThat(stored.get("m/s" + i).state()).as("step s" + i).isEqualTo(TaskState.SUCCEEDED);
    }

    // which write stored each row's end; the parent's end comes with or after its steps' ends
    var endedIn = new HashMap<String, Integer>();
    for (int w = 0; w < writes.size(); w++) {
      StateStore.Batch b = writes.get(w);
      for (TaskRunRecord r :
          Stream.concat(b.insertTaskRuns().stream(), b.updateTaskRuns().stream()).toList()) {
        if (r.state().isTerminal()) {
          endedIn.putIfAbsent(r.taskId(), w);
        }
      }
    }
    int parentEnd = endedIn.get("m");
    var late = new ArrayList<String>();
    endedIn.forEach((id, w) -> {
      if (id.startsWith("m/") && w > parentEnd) {
        late.add(id);
      }
    });
    assertThat(late).as("steps stored after their parent's end").isEmpty();

    // one write per round would be one or two per step (each a millisecond apart); held back up
    // to StepWriteWindow.DELAY, they share a few
    long withSteps =
        writes.stream()
            .filter(b ->
                Stream.concat(b.insertTaskRuns().stream(), b.updateTaskRuns().stream())
                    .anyMatch(r -> r.taskId().startsWith("m/s")))
            .count();
    assertThat(withSteps).as("writes with rows of the %d steps", STEPS).isLessThan(STEPS / 10);

    // their log lines too: every line stored
    List<LogLine> lines = new ArrayList<>();
    for (int i = 0; i < STEPS; i++) {
      lines.addAll(fx.store.logs(run.id(), "m/s" + i));
    }
    assertThat(lines).hasSize(STEPS);
  }
}
