package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `weir backfill` and `weir backfills` against real servers, one of them killed mid-backfill. */
class BackfillCliTest {
  static final String TOKEN = "backfill-test-token-0123456789";
  static final String FLOW =
      """
      id: daily
      namespace: team.a
      triggers:
        - id: nightly
          type: schedule
          cron: "0 5 * * *"
          disabled: true
          inputs: {note: "backfill {{ trigger.backfill }}"}
      inputs:
        - {id: note, type: string, default: none}
      tasks:
        - {id: nap, type: test.sleep, duration: NAP}
        - {id: say, type: test.ok, message: "{{ inputs.note }} at {{ trigger.slot }}"}
      """;

  @TempDir Path dir;

  @Test
  void backfill_runs_every_day_and_waits_and_backfills_shows_it() throws Exception {
    Path flows = dir.resolve("flows");
    Files.createDirectories(flows);
    Files.writeString(flows.resolve("daily.yaml"), FLOW.replace("NAP", "50ms"));
    try (WeirServer server = WeirServer.start(options(dir.resolve("home"), flows), t -> {})) {
      String url = "http://127.0.0.1:" + server.port();
      Cli.Result r =
          Cli.run(
              "backfill",
              "team.a/daily",
              "--from",
              "2026-01-01",
              "--to",
              "2026-01-03",
              "--parallel",
              "2",
              "--wait",
              "--server",
              url,
              "--token",
              TOKEN);
      assertThat(r.exit()).as(r.out() + r.err()).isZero();
      String id = match(r.out(), "Backfill (bf_\\w+) of team\\.a/daily");
      assertThat(r.out())
          .contains(
              "3 run(s) for schedule 'nightly', 2026-01-01T05:00:00Z to 2026-01-03T05:00:00Z, 2"
                  + " at a time")
          .contains("  3 slots: 3 succeeded\nBackfill " + id + " SUCCEEDED\n");

      Cli.Result show = Cli.run("backfills", "show", id, "--server", url, "--token", TOKEN);
      assertThat(show.exit()).isZero();
      assertThat(show.out()).contains("team.a/daily").contains("SUCCEEDED");
      assertThat(
              show.out()
                  .lines()
                  .filter(l -> l.matches("  2026-01-0\\dT05:00:00Z +SUCCEEDED +\\w+")))
          .as(show.out())
          .hasSize(3);
      String runId = match(show.out(), "2026-01-02T05:00:00Z\\s+SUCCEEDED\\s+(\\w+)");
      // the schedule's inputs, rendered for the backfill, and trigger.* reach the run
      Cli.Result logs =
          Cli.run("logs", runId, "--home", dir.resolve("home").toString(), "--task", "say");
      assertThat(logs.out()).contains("backfill " + id + " at 2026-01-02T05:00:00Z");

      assertThat(Cli.run("backfills", "list", "--server", url, "--token", TOKEN).out())
          .contains(id)
          .contains("3 slots: 3 succeeded");
      Cli.Result cancel = Cli.run("backfills", "cancel", id, "--server", url, "--token", TOKEN);
      assertThat(cancel.exit()).isEqualTo(2);
      assertThat(cancel.err()).contains("server answered 409: backfill " + id + " already ended");

      Cli.Result bad =
          Cli.run(
              "backfill",
              "team.a/daily",
              "--from",
              "2026-01-05",
              "--to",
              "2026-01-01",
              "--server",
              url,
              "--token",
              TOKEN);
      assertThat(bad.exit()).isEqualTo(2);
      assertThat(bad.err())
          .contains("server answered 400: 'from' (2026-01-05) is after 'to' (2026-01-01)");
    }
  }

  @Test
  void a_server_killed_mid_backfill_resumes_the_run_it_had_going_and_finishes_the_rest()
      throws Exception {
    Path home = dir.resolve("home");
    Path flows = dir.resolve("flows");
    Files.createDirectories(flows);
    Files.writeString(flows.resolve("daily.yaml"), FLOW.replace("NAP", "1500ms"));
    Process child =
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
    String id;
    String interrupted;
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> {
            assertThat(child.isAlive()).as("the server child is running").isTrue();
            return Files.exists(dir.resolve("child.out"))
                && Files.readString(dir.resolve("child.out")).contains("Weir server on");
          });
      String url = match(Files.readString(dir.resolve("child.out")), "(http://[0-9.:]+)/api/v1");
      Cli.Result r =
          Cli.run(
              "backfill",
              "team.a/daily",
              "--from",
              "2026-01-01",
              "--to",
              "2026-01-04",
              "--server",
              url,
              "--token",
              TOKEN);
      assertThat(r.exit()).as(r.err()).isZero();
      id = match(r.out(), "Backfill (bf_\\w+)");
      var api = new ApiClient(url, TOKEN);
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            JsonNode p = api.get("/backfills/" + id).path("progress");
            return p.path("succeeded").asInt() == 1 && p.path("running").asInt() == 1;
          });
      interrupted = api.get("/backfills/" + id).path("slots").get(1).path("runId").asText();
    } finally {
      child.destroyForcibly(); // SIGKILL: nothing is closed, nothing finishes
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    try (WeirServer again = WeirServer.start(options(home, flows), t -> {})) {
      var api = new ApiClient("http://127.0.0.1:" + again.port(), TOKEN);
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> api.get("/backfills/" + id).path("state").asText().equals("SUCCEEDED"));
      JsonNode b = api.get("/backfills/" + id);
      var runIds = new HashSet<String>();
      b.path("slots").forEach(s -> runIds.add(s.path("runId").asText()));
      assertThat(runIds).hasSize(4).contains(interrupted);
      JsonNode run = api.get("/runs/" + interrupted);
      assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
      // its nap was interrupted by the kill and ran again; the run itself was not made twice
      assertThat(run.path("tasks").get(0).path("attempts")).hasSize(2);
      JsonNode all = api.get("/runs?flow=team.a/daily&limit=100").path("runs");
      assertThat(all).hasSize(4);
    }
  }

  private static ServerOptions options(Path home, Path flows) {
    return new ServerOptions(
        "127.0.0.1",
        0,
        home,
        null,
        flows,
        List.of(TOKEN),
        Map.of(),
        null,
        Duration.ofMillis(200),
        Duration.ofSeconds(5),
        Map.of(),
        null);
  }

  private static String match(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
    return m.group(1);
  }
}
