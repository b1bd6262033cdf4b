package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.TaskProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real processes, recorded as a crashed attempt would have left them. */
class LeftoverProcessesTest {
  private static final Duration GRACE = Duration.ofMillis(300);

  private final List<Process> started = new ArrayList<>();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final LeftoverProcesses leftovers =
      new LeftoverProcesses("this-host", GRACE, ZoneOffset.UTC);

  @AfterEach
  void killAll() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void ends_a_recorded_group_that_still_runs_and_says_so() throws Exception {
    Process p = startInOwnGroup("sleep 60 & wait");
    ProcessHandle sleeper = awaitChild(p);
    TaskProcess r = recorded(p, "this-host");

    leftovers.end(List.of(r), this::report);

    assertThat(lines)
        .containsExactly(
            "sleep/1 WARN ended leftover process "
                + p.pid()
                + " of attempt 1 of task sleep (started "
                + hhmmss(r.startedAt())
                + ")");
    assertThat(p.waitFor() >= 128).as("ended by a signal").isTrue();
    assertThat(running(sleeper.pid())).as("its child ended with it").isFalse();
  }

  @Test
  void kills_a_group_that_ignores_sigterm_once_the_grace_is_over() throws Exception {
    // ignored signals stay ignored in the children too: only SIGKILL ends this
    Process p = startInOwnGroup("trap '' TERM; echo trapped; while :; do sleep 0.05; done");
    // a SIGTERM that comes before the trap ends the script at once (exit 143), not this test's case
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    assertThat(out.readLine()).isEqualTo("trapped");

    leftovers.end(List.of(recorded(p, "this-host")), this::report);

    assertThat(lines).singleElement().asString().startsWith("sleep/1 WARN ended leftover process");
    assertThat(p.waitFor()).isEqualTo(128 + 9);
  }

  @Test
  void leaves_alone_a_process_that_got_a_recorded_pid_but_started_at_another_time()
      throws Exception {
    Process p = startInOwnGroup("sleep 60");
    TaskProcess r = recorded(p, "this-host");
    var reused =
        new TaskProcess(
            r.runId(),
            r.taskId(),
            r.attempt(),
            r.pid(),
            r.pgid(),
            r.startedAt().minusSeconds(90),
            r.host());

    leftovers.end(List.of(reused), this::report);

    assertThat(lines).isEmpty();
    assertThat(p.isAlive()).isTrue();
  }

  @Test
  void says_a_process_of_another_machine_must_be_ended_there() throws Exception {
    Process p = startInOwnGroup("sleep 60");

    leftovers.end(List.of(recorded(p, "node-b")), this::report);

    assertThat(lines)
        .containsExactly(
            "sleep/1 WARN process "
                + p.pid()
                + " of attempt 1 of task sleep ran on node-b, not on this machine (this-host); if"
                + " it still runs there, end it by hand");
    assertThat(p.isAlive()).isTrue();
  }

  @Test
  void says_nothing_of_a_process_that_already_ended() throws Exception {
    // alive long enough to read its start time (an `exit 0` may be gone before that)
    Process p = startInOwnGroup("sleep 0.2");
    TaskProcess r = recorded(p, "this-host");
    p.waitFor();

    leftovers.end(List.of(r), this::report);

    assertThat(lines).isEmpty();
  }

  // ---- helpers

  private Process startInOwnGroup(String script) throws Exception {
    Process p = new ProcessBuilder("setsid", "-w", "bash", "-c", script).start();
    started.add(p);
    return p;
  }

  private static ProcessHandle awaitChild(Process p) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (p.children().findAny().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the script started no child");
      }
      Thread.sleep(10);
    }
    return p.children().findAny().orElseThrow();
  }

  private static Instant start(Process p) {
    return p.info().startInstant().orElseThrow();
  }

  private static TaskProcess recorded(Process p, String host) {
    return new TaskProcess("r1", "sleep", 1, p.pid(), p.pid(), start(p), host);
  }

  private static String hhmmss(Instant t) {
    return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
        .format(t.atZone(ZoneOffset.UTC));
  }

  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private void report(TaskProcess p, String level, String message) {
    lines.add(p.taskId() + "/" + p.attempt() + " " + level + " " + message);
  }
}
