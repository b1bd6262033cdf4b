package dev.weir.tasks.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreTasksTest {
  @TempDir Path dir;

  @Test
  void noop_returns_an_empty_result() throws Exception {
    TaskResult result = new TestContext(dir).run("wait", new NoopTask(), "{}");
    assertThat(result).isEqualTo(TaskResult.empty());
  }

  @Test
  void log_writes_the_message_at_info_by_default() throws Exception {
    var ctx = new TestContext(dir);
    ctx.run("say", new LogTask(), "message: hello there");
    assertThat(ctx.log()).containsExactly("INFO hello there");
  }

  @Test
  void log_accepts_a_level_in_any_case() throws Exception {
    var ctx = new TestContext(dir);
    ctx.run("say", new LogTask(), "{message: careful, level: Warn}");
    assertThat(ctx.log()).containsExactly("WARN careful");
  }

  @Test
  void shell_sends_stdout_to_info_and_stderr_to_warn() throws Exception {
    var ctx = new TestContext(dir);
    TaskResult result =
        ctx.run("sh", new ShellTask(), "command: 'echo out-line; echo err-line >&2'");
    assertThat(result.outputs()).isEqualTo(Map.of("exitCode", 0));
    assertThat(ctx.log()).contains("INFO out-line", "WARN err-line");
  }

  @Test
  void shell_passes_env_on_top_of_the_context_environment() throws Exception {
    var ctx = new TestContext(dir).env("FROM_WEIR", "base");
    ctx.run(
        "sh",
        new ShellTask(),
        """
        command: echo "$FROM_WEIR $GREETING"
        env: {GREETING: hi}
        """);
    assertThat(ctx.log()).containsExactly("INFO base hi");
  }

  @Test
  void shell_runs_in_work_dir_relative_to_the_flow() throws Exception {
    Files.createDirectories(dir.resolve("scripts"));
    var ctx = new TestContext(dir);
    ctx.run("sh", new ShellTask(), "{command: pwd, workDir: scripts}");
    assertThat(ctx.log()).containsExactly("INFO " + dir.resolve("scripts").toRealPath());
  }

  @Test
  void shell_fails_with_exit_code_and_last_stderr_line() {
    var ctx = new TestContext(dir);
    assertThatThrownBy(() ->
            ctx.run(
                "sh",
                new ShellTask(),
                "command: 'echo first >&2; echo \"no such table\" >&2; exit 3'"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessage("shell command exited with code 3; last stderr line: no such table")
        .satisfies(
            e -> assertThat(((TaskFailedException) e).outputs()).containsEntry("exitCode", 3));
  }

  @Test
  void shell_fails_when_a_step_in_a_pipe_fails() {
    var ctx = new TestContext(dir);
    assertThatThrownBy(() -> ctx.run("sh", new ShellTask(), "command: 'false | cat'"))
        .hasMessage("shell command exited with code 1; last stderr line: (none)");
  }

  @Test
  void shell_with_missing_work_dir_names_it() {
    var ctx = new TestContext(dir);
    assertThatThrownBy(() -> ctx.run("sh", new ShellTask(), "{command: ls, workDir: nope}"))
        .hasMessage(
            "shell workDir 'nope' is not a directory ("
                + dir.resolve("nope")
                + "); create it or give a path relative to the flow file's directory");
  }

  @Test
  void cancel_kills_the_process_tree_quickly() throws Exception {
    var ctx = new TestContext(dir);
    Path pidFile = dir.resolve("child.pid");
    var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    Thread runner =
        Thread.ofVirtual()
            .start(() -> {
              try {
                // a child in the background plus one in the foreground: both must die
                ctx.run(
                    "sh", new ShellTask(), "command: 'sleep 30 & echo $! > child.pid; sleep 30'");
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(20);
    }
    long child = Long.parseLong(Files.readString(pidFile).strip());
    long start = System.nanoTime();
    ctx.cancel();
    runner.join(5_000);
    assertThat(runner.isAlive()).isFalse();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
    assertThat(failure.get()).hasMessageStartingWith("shell command was cancelled");
    // SIGKILL lands asynchronously; a killed child waiting to be reaped counts as gone
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() ->
            !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) || zombie(child));
  }

  private static boolean zombie(long pid) throws java.io.IOException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    return !Files.exists(stat) || Files.readString(stat).replaceFirst(".*\\) ", "").startsWith("Z");
  }
}
