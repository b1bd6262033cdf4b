package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `weir run` of a 200-item forEach killed with SIGKILL in the middle, then `weir resume`d: every
 * item ends done exactly once, and only the items that had not finished ran again.
 */
class ForEachCrashTest {
  @TempDir Path dir;

  private static final String FLOW =
      """
      id: many
      tasks:
        - id: each
          type: forEach
          items: "{{ range(1, 200) }}"
          concurrency: 4
          tasks:
            - id: work
              type: shell
              env: {ITEM: "{{ item }}"}
              command: |
                echo "$ITEM" >> started.log
                if [ ! -f go ] && [ "$(wc -l < started.log)" -gt 100 ]; then sleep 60; fi
                echo "$ITEM" >> done.log
      """;

  @Test
  void a_killed_forEach_resumes_running_only_unfinished_items() throws Exception {
    Files.writeString(dir.resolve("flow.yaml"), FLOW);
    Path home = dir.resolve("home");
    Process child = Cli.child(dir, Map.of(), "run", "flow.yaml", "--home", home.toString());
    // four items asleep: past the 100th start, four started and not done (the window is full;
    // which items sleep depends on the order their lines landed in started.log)
    waitFor(
        () -> {
          int started = lines("started.log").size();
          return started > 100 && started - lines("done.log").size() == 4;
        },
        child);
    child.descendants().forEach(ProcessHandle::destroyForcibly); // the orphaned `sleep`s
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    List<String> doneBefore = lines("done.log");
    assertThat(doneBefore).hasSizeBetween(96, 100).doesNotHaveDuplicates();

    String runId;
    try (StateStore store = JdbcStateStore.h2(home)) {
      RunRecord run = store.listRuns(StateStore.RunQuery.latest(1)).get(0);
      runId = run.id();
      assertThat(run.state()).isEqualTo(RunState.RUNNING);
    }
    Files.writeString(dir.resolve("go"), "");
    Cli.Result resumed = Cli.run("resume", runId, "--home", home.toString());
    assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();

    List<String> done = lines("done.log");
    List<String> all = IntStream.rangeClosed(1, 200).mapToObj(String::valueOf).toList();
    assertThat(done).containsExactlyInAnyOrderElementsOf(all); // each once: nothing doubled
    List<String> started = lines("started.log");
    // what finished before the kill never started again; only the interrupted four ran twice
    assertThat(started.size() - 200).isBetween(1, 4);
    assertThat(doneBefore).doesNotContainAnyElementsOf(startedTwice(started));
    try (StateStore store = JdbcStateStore.h2(home)) {
      assertThat(store.findRun(runId).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    }
  }

  private static List<String> startedTwice(List<String> started) {
    var seen = new HashSet<String>();
    return started.stream().filter(s -> !seen.add(s)).toList();
  }

  private List<String> lines(String file) throws Exception {
    Path p = dir.resolve(file);
    return Files.exists(p) ? Files.readAllLines(p) : List.of();
  }

  private void waitFor(Cli.Check check, Process child) throws Exception {
    Cli.waitFor(dir, child, check);
  }
}
