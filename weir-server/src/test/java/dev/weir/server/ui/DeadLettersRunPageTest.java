package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.ServerFixture;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's dead letters in the API and on its page, secrets masked. */
class DeadLettersRunPageTest {
  @TempDir Path dir;
  ServerFixture server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    TestTasks.reset();
  }

  @Test
  void the_api_and_the_run_page_list_the_batches_a_run_set_aside() throws Exception {
    server = new ServerFixture(dir).start(UiHttpTest.withCanary(new ServerFixture(dir).options()));
    server.writeFlow(
        "rejects.yaml",
        """
        id: rejects
        namespace: ui
        tasks:
          - id: load
            type: test.rejects
            records: ["{{ secret('CANARY') }}", ok, fine]
            bad: ["{{ secret('CANARY') }}"]
            deadLetter: {path: dead/, maxRejected: 1}
        """);
    server.server.watcher().scan();
    String runId = server.post("/flows/ui/rejects/runs", "{}").json().path("runId").asText();
    assertThat(server.awaitRun(runId).path("state").asText()).isEqualTo("SUCCEEDED");

    JsonNode api = server.get("/runs/" + runId + "/deadletters").json();
    assertThat(api.get("runId").asText()).isEqualTo(runId);
    JsonNode batch = api.get("deadLetters").get(0);
    assertThat(batch.get("task").asText()).isEqualTo("load");
    assertThat(batch.get("letters").asLong()).isEqualTo(1);
    assertThat(batch.get("handled").asLong()).isEqualTo(3);
    assertThat(batch.get("attemptFailed").asBoolean()).isFalse();
    assertThat(batch.get("firstReason").asText()).isEqualTo("******: bad");
    assertThat(batch.get("location").asText()).endsWith(runId + "/load-1.jsonl");
    assertThat(api.toString()).doesNotContain(UiHttpTest.CANARY);

    UiSession ui = new UiSession(server);
    ui.signIn(ServerFixture.TOKEN);
    String page = ui.get("/runs/" + runId).body();
    assertThat(page)
        .contains("<h2 id=\"dead-letters\">Dead letters</h2>")
        .contains("1 of 3")
        .contains("******: bad")
        .contains("weir deadletters show " + batch.get("id").asText())
        .doesNotContain(UiHttpTest.CANARY);
    // and in the task's row: the count, a preview of the letter (masked), what to run
    assertThat(page)
        .contains("data-task-letters=\"load\"")
        .contains("1 dead letter</span>")
        .contains("<code class=\"record\">{&quot;value&quot;:&quot;******&quot;}</code>")
        .contains("<code data-copy-text>weir retry " + runId + "</code>")
        .contains("test.rejects letters cannot be replayed by Weir");
  }
}
