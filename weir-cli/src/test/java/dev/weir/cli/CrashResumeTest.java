package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real process killed with SIGKILL mid-run, then `weir resume`d (and Ctrl-C on another). */
class CrashResumeTest {
  @TempDir Path dir;

  private static final String FLOW =
      """
      id: crashy
      tasks:
        - id: first
          type: shell
          command: echo ran >> first.count
        - id: slow
          type: shell
          command: |
            echo started >> slow.count
            if [ "$(wc -l < slow.count)" -eq 1 ]; then sleep 60; fi
        - id: last
          type: shell
          command: echo ran >> last.count
      """;

  @Test
  void a_run_killed_mid_task_resumes_without_rerunning_succeeded_tasks() throws Exception {
    Files.writeString(dir.resolve("flow.yaml"), FLOW);
    Path home = dir.resolve("home");
    Process child = Cli.child(dir, Map.of(), "run", "flow.yaml", "--home", home.toString());
    waitFor(() -> Files.exists(dir.resolve("slow.count")), child);
    child.descendants().forEach(ProcessHandle::destroyForcibly); // the orphaned `sleep`
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

    String runId;
    try (StateStore store = JdbcStateStore.h2(home)) {
      RunRecord run = store.listRuns(StateStore.RunQuery.latest(1)).get(0);
      runId = run.id();
      assertThat(run.state()).isEqualTo(RunState.RUNNING);
    }

    Cli.Result resumed = Cli.run("resume", runId, "--home", home.toString());
    assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
    assertThat(resumed.out()).contains("Resuming run " + runId).contains("SUCCEEDED");
    assertThat(Files.readAllLines(dir.resolve("first.count"))).hasSize(1);
    assertThat(Files.readAllLines(dir.resolve("slow.count"))).hasSize(2);
    assertThat(Files.readAllLines(dir.resolve("last.count"))).hasSize(1);
    try (StateStore store = JdbcStateStore.h2(home)) {
      List<TaskRunRecord> slow =
          store.taskRuns(runId).stream().filter(t -> t.taskId().equals("slow")).toList();
      assertThat(slow)
          .extracting(TaskRunRecord::state)
          .containsExactly(TaskState.FAILED, TaskState.SUCCEEDED);
      assertThat(slow.get(0).error()).startsWith("interrupted: the process running this attempt");
      assertThat(store.findRun(runId).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    }
    Cli.Result again = Cli.run("resume", runId, "--home", home.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("run " + runId + " already ended SUCCEEDED");
  }

  @Test
  void ctrl_c_cancels_the_run_and_kills_the_running_command() throws Exception {
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        id: interrupted
        tasks:
          - id: slow
            type: shell
            command: echo $$ > slow.pid; sleep 60
          - id: after
            type: noop
        """);
    Path home = dir.resolve("home");
    Process child = Cli.child(dir, Map.of(), "run", "flow.yaml", "--home", home.toString());
    waitFor(
        () ->
            Files.exists(dir.resolve("slow.pid"))
                && !Files.readString(dir.resolve("slow.pid")).isBlank(),
        child);
    long shellPid = Long.parseLong(Files.readString(dir.resolve("slow.pid")).strip());
    new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(130);
    assertThat(ProcessHandle.of(shellPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    try (StateStore store = JdbcStateStore.h2(home)) {
      RunRecord run = store.listRuns(StateStore.RunQuery.latest(1)).get(0);
      assertThat(run.state()).isEqualTo(RunState.CANCELLED);
      assertThat(run.error()).isEqualTo("cancelled by the user (Ctrl-C)");
    }
    assertThat(Files.readString(dir.resolve("child.out"))).contains("CANCELLED");
  }

  private void waitFor(Cli.Check check, Process child) throws Exception {
    Cli.waitFor(dir, child, check);
  }
}
