package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.ServerFixture;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill pages over plain HTTP: the list, one backfill with its slots, the new backfill form;
 * sign-in, the preview through the session with its CSRF token, bad input, masked slot errors.
 */
class BackfillPagesTest {
  static final String DAILY =
      """
      id: daily
      namespace: ui
      triggers:
        - {id: nightly, type: schedule, cron: "30 2 * * *", timezone: Europe/Berlin, disabled: true}
      tasks:
        - {id: work, type: shell, command: "true"}
      """;

  static final String TWO =
      """
      id: two
      namespace: ui
      triggers:
        - {id: morning, type: schedule, cron: "0 6 * * *", disabled: true}
        - {id: evening, type: schedule, cron: "0 18 * * *", disabled: true}
      tasks:
        - {id: work, type: shell, command: "true"}
      """;

  static final String NONE =
      """
      id: unscheduled
      namespace: ui
      tasks:
        - {id: work, type: shell, command: "true"}
      """;

  /** Its schedule gives an int input a secret: no run can be made, and the error is masked. */
  static final String BROKEN =
      """
      id: broken
      namespace: ui
      inputs:
        - {id: n, type: int}
      triggers:
        - id: daily
          type: schedule
          cron: "0 5 * * *"
          disabled: true
          inputs: {n: "{{ secret('CANARY') }}"}
      tasks:
        - {id: work, type: shell, command: "true"}
      """;

  @TempDir Path dir;
  ServerFixture server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private UiSession start() throws Exception {
    server = new ServerFixture(dir).start(UiHttpTest.withCanary(new ServerFixture(dir).options()));
    server.writeFlow("daily.yaml", DAILY);
    server.writeFlow("two.yaml", TWO);
    server.writeFlow("none.yaml", NONE);
    server.writeFlow("broken.yaml", BROKEN);
    server.server.watcher().scan();
    return new UiSession(server);
  }

  private static UiSession.Page postJson(UiSession ui, String path, String csrf, String body) {
    var b =
        HttpRequest.newBuilder(ui.uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (csrf != null) {
      b.header(Sessions.CSRF_HEADER, csrf);
    }
    return ui.send(b);
  }

  private JsonNode awaitEnd(String id) {
    JsonNode[] last = new JsonNode[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          last[0] = server.get("/backfills/" + id).json();
          return !List.of("RUNNING", "PAUSED").contains(last[0].path("state").asText());
        });
    return last[0];
  }

  @Test
  void the_backfill_pages_send_a_browser_without_a_session_to_sign_in() throws Exception {
    UiSession ui = start();
    for (String path : List.of("/backfills", "/backfills/new", "/backfills/bf_x", "/datasets")) {
      var p = ui.get(path);
      assertThat(p.status()).as(path).isEqualTo(302);
      assertThat(p.header("Location")).as(path).startsWith("/sign-in?next=");
    }
    assertThat(postJson(ui, "/api/v1/backfills/preview", null, "{}").status()).isEqualTo(401);
  }

  @Test
  void the_form_offers_the_flows_with_a_schedule_and_previews_only_with_the_csrf_token()
      throws Exception {
    UiSession ui = start();
    ui.signIn(ServerFixture.TOKEN);
    var form = ui.get("/backfills/new?flow=ui/two");
    assertThat(form.status()).isEqualTo(200);
    assertThat(form.body())
        .contains("value=\"ui/daily\"", "value=\"ui/two\" data-schedules=", "selected")
        .contains("&quot;morning&quot;", "&quot;Europe/Berlin&quot;")
        .doesNotContain("ui/unscheduled")
        .contains("/ui/static/backfill-new.js");
    assertThat(ui.get("/ui/static/backfill-new.js").status()).isEqualTo(200);

    var unknown = ui.get("/backfills/new?flow=ui/unscheduled");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body())
        .contains("flow &#39;ui/unscheduled&#39; is not deployed here or has no schedule trigger");

    String body = "{\"flow\": \"ui/daily\", \"from\": \"2026-03-28\", \"to\": \"2026-03-29\"}";
    var refused = postJson(ui, "/api/v1/backfills/preview", null, body);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("CSRF");
    var preview = postJson(ui, "/api/v1/backfills/preview", form.csrf(), body);
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    assertThat(preview.body()).contains("2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z");
    assertThat(server.get("/backfills").json().path("backfills")).isEmpty();

    var bad =
        postJson(
            ui,
            "/api/v1/backfills/preview",
            form.csrf(),
            "{\"flow\": \"ui/two\", \"from\": \"2026-03-28\", \"to\": \"2026-03-29\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("has 2 schedule triggers (morning, evening)");
  }

  @Test
  void the_list_and_a_backfill_show_progress_and_every_slot_with_its_run() throws Exception {
    UiSession ui = start();
    ui.signIn(ServerFixture.TOKEN);
    assertThat(ui.get("/backfills").body()).contains("No backfills");
    var created =
        server.post(
            "/backfills",
            "{\"flow\": \"ui/daily\", \"from\": \"2026-03-28\", \"to\": \"2026-03-30\","
                + " \"parallel\": 2}");
    String id = created.json().path("id").asText();
    JsonNode done = awaitEnd(id);
    assertThat(done.path("state").asText()).isEqualTo("SUCCEEDED");

    var list = ui.get("/backfills");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body())
        .contains("href=\"/backfills/" + id + "\"", "ui/daily", "nightly")
        .contains("<strong data-bf-done>3</strong> / 3 done", "3 succeeded");
    assertThat(ui.get("/backfills?state=succeeded&flow=ui/daily").body()).contains(id);
    assertThat(ui.get("/backfills?state=running").body())
        .doesNotContain(id)
        .contains("No backfills");

    var page = ui.get("/backfills/" + id);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body())
        .contains("datetime=\"2026-03-28T01:30:00Z\"", "datetime=\"2026-03-29T01:30:00Z\"")
        .contains("datetime=\"2026-03-30T00:30:00Z\"")
        .contains("data-bf-active=\"false\"");
    for (JsonNode slot : done.path("slots")) {
      assertThat(page.body()).contains("href=\"/runs/" + slot.path("runId").asText() + "\"");
    }
    // an ended backfill offers no action
    assertThat(page.body()).containsPattern("data-bf-action=\"pause\"[^>]* hidden");
    assertThat(page.body()).containsPattern("data-bf-action=\"cancel\"[^>]* hidden");
  }

  @Test
  void bad_filters_and_unknown_backfills_answer_a_clear_error_page() throws Exception {
    UiSession ui = start();
    ui.signIn(ServerFixture.TOKEN);
    var state = ui.get("/backfills?state=finished");
    assertThat(state.status()).isEqualTo(400);
    assertThat(state.body())
        .contains("unknown state &#39;finished&#39; (known: running, paused, succeeded");
    var flow = ui.get("/backfills?flow=daily");
    assertThat(flow.status()).isEqualTo(400);
    assertThat(flow.body()).contains("flow must be NAMESPACE/ID");
    var missing = ui.get("/backfills/bf_nothing");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("Content-Type")).startsWith("text/html");
    assertThat(missing.body()).contains("no backfill &#39;bf_nothing&#39;");
  }

  @Test
  void a_slot_whose_run_could_not_be_made_shows_its_error_masked() throws Exception {
    UiSession ui = start();
    ui.signIn(ServerFixture.TOKEN);
    String id =
        server
            .post(
                "/backfills",
                "{\"flow\": \"ui/broken\", \"from\": \"2026-03-28\", \"to\": \"2026-03-28\"}")
            .json()
            .path("id")
            .asText();
    JsonNode done = awaitEnd(id);
    assertThat(done.path("progress").path("errors").asInt()).isEqualTo(1);
    for (String path : List.of("/backfills", "/backfills/" + id)) {
      var p = ui.get(path);
      assertThat(p.status()).isEqualTo(200);
      assertThat(p.body()).as(path).doesNotContain(UiHttpTest.CANARY);
    }
    assertThat(ui.get("/backfills/" + id).body()).contains("state-error", "failed");
  }
}
