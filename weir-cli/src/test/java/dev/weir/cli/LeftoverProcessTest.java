package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.StateStore;
import dev.weir.store.TaskProcess;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A `weir run` killed with SIGKILL while its shell task's command sleeps leaves that command
 * running; `weir resume` ends it before the task runs again, so it never runs twice at once.
 */
class LeftoverProcessTest {
  @TempDir Path dir;

  private Process child;
  private long shellPid = -1;
  private long sleepPid = -1;

  // The first attempt records its pids and sleeps; the second records whether they still run
  // (a zombie, dead but not yet collected by its parent, does not count).
  private static final String FLOW =
      """
      id: orphans
      tasks:
        - id: sleep
          type: shell
          command: |
            running() { [ -e /proc/$1/stat ] && ! grep -q ') Z' /proc/$1/stat; }
            if [ -f shell.pid ]; then
              for p in $(cat shell.pid) $(cat sleep.pid); do
                if running "$p"; then echo alive; else echo gone; fi
              done > old.when-rerun
            else
              sleep 60 &
              echo $! > sleep.pid
              echo $$ > shell.pid
              wait
            fi
      """;

  @AfterEach
  void cleanUp() {
    if (child != null) {
      child.destroyForcibly();
    }
    for (long pid : new long[] {sleepPid, shellPid}) {
      if (pid > 0) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void resume_ends_the_command_a_killed_run_left_running_before_the_task_runs_again()
      throws Exception {
    Files.writeString(dir.resolve("flow.yaml"), FLOW);
    Path home = dir.resolve("home");
    child = Cli.child(dir, Map.of(), "run", "flow.yaml", "--home", home.toString());
    waitFor(() -> nonBlank("shell.pid") && nonBlank("sleep.pid"));
    shellPid = Long.parseLong(Files.readString(dir.resolve("shell.pid")).strip());
    sleepPid = Long.parseLong(Files.readString(dir.resolve("sleep.pid")).strip());
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

    // what happened before: Weir is gone, its command keeps running
    assertThat(alive(shellPid)).as("the shell outlives the killed weir").isTrue();
    assertThat(alive(sleepPid)).as("and so does its child").isTrue();

    String runId;
    TaskProcess recorded;
    try (StateStore store = JdbcStateStore.h2(home)) {
      runId = store.listRuns(StateStore.RunQuery.latest(1)).get(0).id();
      List<TaskProcess> processes = store.processes(runId);
      assertThat(processes).hasSize(1);
      recorded = processes.get(0);
    }
    assertThat(recorded.taskId()).isEqualTo("sleep");
    assertThat(recorded.attempt()).isEqualTo(1);
    assertThat(recorded.pid()).isEqualTo(shellPid);
    assertThat(recorded.pgid()).as("it leads its own process group").isEqualTo(shellPid);
    assertThat(recorded.startedAt())
        .isEqualTo(ProcessHandle.of(shellPid).orElseThrow().info().startInstant().orElseThrow());

    Cli.Result resumed = Cli.run("resume", runId, "--home", home.toString());

    assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
    String started =
        DateTimeFormatter.ofPattern("HH:mm:ss")
            .format(recorded.startedAt().atZone(ZoneId.systemDefault()));
    assertThat(resumed.out())
        .contains(
            "    sleep WARN: ended leftover process "
                + shellPid
                + " of attempt 1 of task sleep (started "
                + started
                + ")");
    // the second attempt found neither the old shell nor its child running
    assertThat(Files.readAllLines(dir.resolve("old.when-rerun"))).containsExactly("gone", "gone");
    assertThat(alive(shellPid)).isFalse();
    assertThat(alive(sleepPid)).isFalse();
    try (StateStore store = JdbcStateStore.h2(home)) {
      assertThat(store.taskRuns(runId))
          .extracting(TaskRunRecord::state)
          .containsExactly(TaskState.FAILED, TaskState.SUCCEEDED);
      assertThat(store.logs(runId, "sleep"))
          .anySatisfy(l -> {
            assertThat(l.attempt()).isEqualTo(1);
            assertThat(l.level()).isEqualTo("WARN");
            assertThat(l.message()).startsWith("ended leftover process " + shellPid);
          });
    }
  }

  private boolean nonBlank(String file) throws Exception {
    Path p = dir.resolve(file);
    return Files.exists(p) && !Files.readString(p).isBlank();
  }

  /**
   * Whether the process runs: a zombie (ended, not yet collected by the init process it was left
   * to) counts as gone, though {@link ProcessHandle#isAlive} says true for it.
   */
  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException e) {
      return false;
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private void waitFor(Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!check.ok()) {
      if (!child.isAlive()) {
        throw new AssertionError(
            "child exited early: "
                + Files.readString(dir.resolve("child.out"))
                + Files.readString(dir.resolve("child.err")));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for the child");
      }
      Thread.sleep(50);
    }
  }
}
