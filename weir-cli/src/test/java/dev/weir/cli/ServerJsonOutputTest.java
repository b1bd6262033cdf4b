package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} of the client commands: the server's answer, as the REST API documents it. */
class ServerJsonOutputTest {
  static final String TOKEN = "json-test-token-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void flows_and_backfills_list_and_show_print_the_api_json() throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(
        flows.resolve("daily.yaml"),
        """
        id: daily
        namespace: team.a
        triggers:
          - {id: nightly, type: schedule, cron: "0 5 * * *", disabled: true}
        tasks:
          - {id: say, type: test.ok, message: hi}
        """);
    try (WeirServer server = WeirServer.start(options(dir.resolve("home"), flows), t -> {})) {
      String url = "http://127.0.0.1:" + server.port();
      String[] auth = {"--server", url, "--token", TOKEN};

      JsonNode list = json(run("flows", "list", "--json"), auth);
      assertThat(list.path("flows")).hasSize(1);
      assertThat(list.path("flows").get(0).path("namespace").asText()).isEqualTo("team.a");
      assertThat(list.path("flows").get(0).path("id").asText()).isEqualTo("daily");
      assertThat(list.path("invalid")).isEmpty();

      JsonNode history = json(run("flows", "history", "team.a/daily", "--json"), auth);
      assertThat(history.path("revisions").get(0).path("revision").asInt()).isEqualTo(1);

      Cli.Result started =
          Cli.run(
              concat(
                  run(
                      "backfill",
                      "team.a/daily",
                      "--from",
                      "2026-01-01",
                      "--to",
                      "2026-01-02",
                      "--wait"),
                  auth));
      assertThat(started.exit()).as(started.out() + started.err()).isZero();

      JsonNode backfills = json(run("backfills", "list", "--json"), auth);
      assertThat(backfills.path("backfills")).hasSize(1);
      JsonNode b = backfills.path("backfills").get(0);
      assertThat(b.path("flow").asText()).isEqualTo("team.a/daily");
      assertThat(b.path("state").asText()).isEqualTo("SUCCEEDED");
      String id = b.path("id").asText();

      JsonNode shown = json(run("backfills", "show", id, "--json"), auth);
      assertThat(shown.path("id").asText()).isEqualTo(id);
      assertThat(shown.path("slots")).hasSize(2);
      assertThat(shown.path("slots").get(0).path("state").asText()).isEqualTo("SUCCEEDED");

      Cli.Result both = Cli.run(concat(run("backfills", "show", id, "--json", "--wait"), auth));
      assertThat(both.exit()).isEqualTo(2);
      assertThat(both.err())
          .isEqualTo(
              "error: --json prints the backfill as it is now and --wait prints progress: use one"
                  + " of them\n");
    }
  }

  private static String[] run(String... args) {
    return args;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static JsonNode json(String[] args, String[] auth) throws Exception {
    Cli.Result r = Cli.run(concat(args, auth));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).hasLineCount(1);
    return JSON.readTree(r.out());
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
}
