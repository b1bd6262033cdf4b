package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A `weir server` killed with SIGKILL while a shell task's command sleeps: the server that starts
 * next takes the run up and ends that command before the task runs again.
 */
class ServerLeftoverProcessTest {
  private static final String TOKEN = "tok-0123456789abcdef";

  @TempDir Path dir;

  private Process server;
  private long shellPid = -1;

  @AfterEach
  void cleanUp() throws Exception {
    if (server != null) {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
    if (shellPid > 0) {
      ProcessHandle.of(shellPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void a_server_taking_up_a_killed_server_s_run_ends_its_leftover_command_first() throws Exception {
    Path home = dir.resolve("home");
    Path flows = dir.resolve("flows");
    Path work = dir.resolve("work");
    Files.createDirectories(flows);
    Files.createDirectories(work);
    Files.writeString(
        flows.resolve("orphans.yaml"),
        """
        id: orphans
        namespace: team.a
        tasks:
          - id: sleep
            type: shell
            workDir: %s
            command: |
              if [ -f shell.pid ]; then
                OLD=$(cat shell.pid)
                if [ -e /proc/$OLD/stat ] && ! grep -q ') Z' /proc/$OLD/stat
                then echo alive > old.when-rerun; else echo gone > old.when-rerun; fi
              else
                echo $$ > shell.pid
                sleep 60
              fi
        """
            .formatted(work));
    server = start(home, flows);
    var api = new ApiClient(url(), TOKEN);
    String runId =
        api.post("/flows/team.a/orphans/runs", "{}", "application/json").path("runId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() ->
            Files.exists(work.resolve("shell.pid"))
                && !Files.readString(work.resolve("shell.pid")).isBlank());
    shellPid = Long.parseLong(Files.readString(work.resolve("shell.pid")).strip());
    server.destroyForcibly(); // kill -9 while the command sleeps
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ProcessHandle.of(shellPid).map(ProcessHandle::isAlive).orElse(false))
        .as("the command outlives the killed server")
        .isTrue();

    server = start(home, flows);
    var api2 = new ApiClient(url(), TOKEN);
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> api2.get("/runs/" + runId).path("state").asText().equals("SUCCEEDED"));

    assertThat(Files.readString(work.resolve("old.when-rerun")).strip()).isEqualTo("gone");
    assertThat(api2.get("/runs/" + runId + "/logs?task=sleep").path("lines").toString())
        .contains("ended leftover process " + shellPid + " of attempt 1 of task sleep (started ");
  }

  private String url() throws Exception {
    Matcher m =
        Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)/api/v1")
            .matcher(Files.readString(dir.resolve("child.out")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private Process start(Path home, Path flows) throws Exception {
    Files.deleteIfExists(dir.resolve("child.out"));
    Process p =
        Cli.child(
            dir,
            Map.of("WEIR_API_TOKENS", TOKEN),
            "server",
            "--port",
            "0",
            "--home",
            home.toString(),
            "--flows",
            flows.toString());
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!p.isAlive()) {
            throw new AssertionError(
                "server exited: " + Files.readString(dir.resolve("child.err")));
          }
          return Files.exists(dir.resolve("child.out"))
              && Files.readString(dir.resolve("child.out")).contains("Weir server on");
        });
    return p;
  }
}
