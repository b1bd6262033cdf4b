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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C as a terminal sends it: SIGINT to every process of the foreground process group. A shell
 * task's command runs in a group of its own, so only Weir hears it; Weir cancels the run and ends
 * the command with SIGTERM. Before, the command got the SIGINT too and could exit 130 before Weir
 * took the cancel, and the task was recorded FAILED.
 */
class CtrlCTest {
  @TempDir Path dir;

  private Process child;
  private long shellPid = -1;

  @AfterEach
  void cleanUp() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (shellPid > 0) {
      ProcessHandle.of(shellPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void ctrl_c_to_the_terminal_s_process_group_reaches_weir_only_and_the_task_ends_cancelled()
      throws Exception {
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        id: interrupted
        tasks:
          - id: slow
            type: shell
            command: |
              trap 'echo INT >> signals' INT
              trap 'echo TERM >> signals; exit 143' TERM
              echo $$ > slow.pid
              sleep 60 &
              wait
        """);
    Path home = dir.resolve("home");
    child = inOwnGroup("run", "flow.yaml", "--home", home.toString());
    waitFor(() -> Files.exists(dir.resolve("slow.pid")) && !read("slow.pid").isBlank());
    shellPid = Long.parseLong(read("slow.pid").strip());

    // what a terminal does on Ctrl-C: the whole foreground group, Weir's JVM leads it
    new ProcessBuilder("kill", "-INT", "--", "-" + child.pid()).start().waitFor();

    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(130);
    // the command heard only Weir's SIGTERM, never the terminal's SIGINT
    assertThat(Files.readAllLines(dir.resolve("signals"))).containsExactly("TERM");
    try (StateStore store = JdbcStateStore.h2(home)) {
      RunRecord run = store.listRuns(StateStore.RunQuery.latest(1)).get(0);
      assertThat(run.state()).isEqualTo(RunState.CANCELLED);
      assertThat(store.taskRuns(run.id()))
          .singleElement()
          .satisfies(t -> {
            assertThat(t.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(t.error()).isEqualTo("cancelled by the user (Ctrl-C)");
          });
      assertThat(store.taskRuns(run.id())).extracting(TaskRunRecord::attempt).containsExactly(1);
    }
    assertThat(read("child.out")).contains("CANCELLED").doesNotContain("exit code 130");
  }

  /** {@code weir ARGS} in a new JVM that leads its own process group, as a shell's job does. */
  private Process inOwnGroup(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("setsid", "-w"));
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectOutput(dir.resolve("child.out").toFile())
        .redirectError(dir.resolve("child.err").toFile())
        .start();
  }

  private String read(String file) throws Exception {
    return Files.readString(dir.resolve(file));
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private void waitFor(Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!check.ok()) {
      if (!child.isAlive()) {
        throw new AssertionError("child exited early: " + read("child.out") + read("child.err"));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for the child");
      }
      Thread.sleep(50);
    }
  }
}
