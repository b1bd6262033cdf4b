package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attempt filter of a run's logs: on the logs page (its form offers the attempts that logged),
 * in the page's paging and download links, the download, the JSON lines and the follow stream.
 */
class LogsAttemptHttpTest {
  @TempDir static Path dir;
  static ServerFixture server;
  static String runId;

  @BeforeAll
  static void startServer() throws Exception {
    server = new ServerFixture(dir).start();
    server.writeFlow("twice.yaml", TWICE);
    server.server.watcher().scan();
    String marker = dir.resolve("marker").toString();
    runId =
        server
            .post("/flows/ui/twice/runs", "{\"inputs\": {\"marker\": \"" + marker + "\"}}")
            .json()
            .get("runId")
            .asText();
    assertThat(server.awaitRun(runId).get("state").asText()).isEqualTo("SUCCEEDED");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void the_logs_page_shows_one_attempt_and_offers_the_attempts_that_logged() {
    UiSession ui = new UiSession(server);
    ui.signIn(ServerFixture.TOKEN);
    String all = ui.get("/runs/" + runId + "/logs?task=flaky").body();
    assertThat(all).contains("first try fails").contains("second try works");
    assertThat(all).contains("<option value=\"1\" >1</option>", "<option value=\"2\" >2</option>");

    var second = ui.get("/runs/" + runId + "/logs?task=flaky&attempt=2");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body()).contains("second try works").doesNotContain("first try fails");
    assertThat(second.body()).contains("<option value=\"2\" selected>2</option>");
    assertThat(second.body())
        .contains("href=\"/api/v1/runs/" + runId + "/logs.txt?task=flaky&amp;attempt=2\" download");

    String first = ui.get("/runs/" + runId + "/logs?attempt=1").body();
    assertThat(first).contains("first try fails").doesNotContain("second try works");
    // a nonsense attempt shows every attempt rather than an error page
    assertThat(ui.get("/runs/" + runId + "/logs?attempt=x").body()).contains("second try works");
  }

  @Test
  void the_download_the_json_lines_and_the_follow_stream_take_the_attempt() {
    String text = server.get("/runs/" + runId + "/logs.txt?task=flaky&attempt=1").body();
    assertThat(text).contains("flaky#1 INFO first try fails").doesNotContain("second try");

    var lines = server.get("/runs/" + runId + "/logs?attempt=2").json().get("lines");
    assertThat(lines).isNotEmpty();
    lines.forEach(l -> assertThat(l.get("attempt").asInt()).isEqualTo(2));

    // the run has ended: the stream sends the attempt's lines, then its end
    String events =
        server
            .send(
                java.net.http.HttpRequest.newBuilder(
                        server.uri("/runs/" + runId + "/logs/follow?task=flaky&attempt=2"))
                    .header("Authorization", "Bearer " + ServerFixture.TOKEN)
                    .header("Accept", "text/event-stream"))
            .body();
    assertThat(events).contains("second try works").doesNotContain("first try fails");
    assertThat(events).contains("event: end");

    var bad = server.get("/runs/" + runId + "/logs.txt?attempt=0");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/error/message").asText())
        .isEqualTo("'attempt' must be a task attempt number (1, 2…), got '0'; e.g. ?attempt=2");
  }

  static final String TWICE =
      """
      id: twice
      namespace: ui
      inputs:
        - {id: marker, type: string}
      tasks:
        - id: flaky
          type: shell
          retry: {attempts: 2, delay: 10ms}
          env: {MARKER: "{{ inputs.marker }}"}
          command: |
            if [ -f "$MARKER" ]; then echo "second try works"; else
              touch "$MARKER"; echo "first try fails"; exit 1; fi
      """;
}
