package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flows list, the flow page and the revision diff over plain HTTP: what each shows, 404 for
 * what does not exist, masking, and the sign-in they need.
 */
class FlowPagesHttpTest {
  @TempDir Path dir;
  ServerFixture server;
  SettableClock clock = SettableClock.at("2026-12-02T08:00:00Z");

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private UiSession start() throws Exception {
    var fixture = new ServerFixture(dir, clock);
    server = fixture.start(UiHttpTest.withCanary(fixture.options()));
    server.writeFlow("daily.yaml", DAILY);
    server.server.watcher().scan();
    var ui = new UiSession(server);
    ui.signIn(ServerFixture.TOKEN);
    return ui;
  }

  private String run(String inputs) {
    String id =
        server
            .post("/flows/ui/daily/runs", "{\"inputs\": " + inputs + "}")
            .json()
            .get("runId")
            .asText();
    server.awaitRun(id);
    clock.advance(Duration.ofMinutes(1)); // runs of one list are told apart by their creation time
    return id;
  }

  @Test
  void the_flows_pages_need_a_session() throws Exception {
    var fixture = new ServerFixture(dir);
    server = fixture.start();
    var ui = new UiSession(server);
    for (String path : List.of("/flows", "/flows/ui/daily", "/flows/ui/daily/diff?from=1")) {
      var p = ui.get(path);
      assertThat(p.status()).as(path).isEqualTo(302);
      assertThat(p.header("Location")).as(path).startsWith("/sign-in?next=%2Fflows");
    }
  }

  @Test
  void the_list_shows_each_flow_with_its_last_run_next_fire_and_a_strip_of_its_runs()
      throws Exception {
    UiSession ui = start();
    String first = run("{\"day\": \"2026-12-01\"}");
    String second = run("{\"day\": \"2026-12-01\"}");
    String failed = run("{\"day\": \"2026-12-01\", \"fail\": true}");

    var page = ui.get("/flows");
    assertThat(page.status()).isEqualTo(200);
    String body = page.body();
    assertThat(body)
        .contains("<a href=\"/flows/ui/daily\">ui.daily</a>")
        .contains("<span class=\"flag on\">enabled</span>")
        .contains("<a href=\"/runs/" + failed + "\" class=\"last-run\">")
        // the schedule "0 5 * * *" fires next at 05:00 UTC the next day
        .contains("<time datetime=\"2026-12-03T05:00:00Z\">2026-12-03 05:00:00 UTC</time>")
        .contains("aria-current=\"page\">Flows</a>");
    // oldest left, newest right, padded to 20 on the left
    assertThat(strip(body))
        .containsExactly("SUCCEEDED " + first, "SUCCEEDED " + second, "FAILED " + failed);
    assertThat(body.split("class=\"hs hs-none\"", -1)).hasSize(17 + 1);
    assertThat(body).doesNotContain(UiHttpTest.CANARY).contains("******");
  }

  @Test
  void a_disabled_flow_says_so_and_has_no_next_fire() throws Exception {
    UiSession ui = start();
    server.post("/flows/ui/daily/disable", "{}");
    String body = ui.get("/flows").body();
    assertThat(body).contains("<span class=\"flag off\">disabled</span>");
    assertThat(body).doesNotContain("2026-12-03T05:00:00Z");
    var page = ui.get("/flows/ui/daily").body();
    assertThat(page)
        .contains(">Enable</button>")
        .contains("the server refuses new runs until it is enabled");
  }

  @Test
  void the_flow_page_shows_its_source_triggers_inputs_and_revisions() throws Exception {
    UiSession ui = start();
    var page = ui.get("/flows/ui/daily");
    assertThat(page.status()).isEqualTo(200);
    String body = page.body();
    // the source, highlighted and numbered, each line an anchor; a task's line is marked
    assertThat(body)
        .contains("<div class=\"yl\" id=\"L1\"><a class=\"ln\" href=\"#L1\"")
        .contains("<span class=\"y-k\">namespace</span>")
        .contains("<span class=\"y-t\">{{ inputs.fail }}</span>")
        .containsPattern("id=\"L\\d+\" data-task-line=\"check\"")
        .containsPattern("id=\"L\\d+\" data-task-line=\"after\"");
    // triggers
    assertThat(body)
        .contains("cron &quot;0 5 * * *&quot; in UTC, catch-up latest")
        .contains("<time datetime=\"2026-12-03T05:00:00Z\">")
        .contains("POST /api/v1/webhooks/ui/daily/&lt;key&gt;")
        .contains("<a href=\"/flows/ui/extract\">a run of ui.extract ends succeeded</a>");
    // the run-now form: one control per type, defaults in, required marked
    assertThat(body)
        .containsPattern("<input id=\"in-day\" type=\"date\" data-input=\"day\"[^>]*required>")
        .contains("data-control=\"datetime\" value=\"2026-01-31T05:00:00\">") // not required
        .contains(
            "<strong>day</strong> <span class=\"muted small\">date</span> <span class=\"req\">")
        // every IANA zone by name, UTC first and chosen
        .contains(
            "<select data-zone-for=\"at\" aria-label=\"Time zone of at\">\n          <option selected>UTC</option><option>Africa/Abidjan</option>")
        .contains("<option>America/New_York</option>")
        .doesNotContain("SystemV/")
        .contains("<option value=\"false\" selected>false</option>")
        .contains(
            "type=\"number\" step=\"1\" data-input=\"batch\" data-control=\"int\" value=\"3\">")
        .contains("empty: {{ flow.id }}-label, worked out when the run starts")
        .contains("default 2026-01-31T05:00:00Z")
        // a default holding a secret is neither shown nor pre-filled (the mask would be sent)
        .contains("data-input=\"note\" data-control=\"text\" value=\"\">")
        .contains("empty: the flow&#39;s default, which holds a secret")
        .contains("data-run-now=\"/api/v1/flows/ui/daily/runs\"");
    // actions and revisions
    assertThat(body)
        .contains("data-api-post=\"/api/v1/flows/ui/daily/disable\"")
        .contains("data-flow-graph=\"/api/v1/flows/ui/daily/graph\"")
        .contains("<tr data-revision=\"1\">")
        .contains("<span class=\"flag on\">current</span>");
    assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(ui.get("/ui/static/flow.js").status()).isEqualTo(200);
    assertThat(ui.get("/ui/static/graph.js").status()).isEqualTo(200);
  }

  @Test
  void no_secret_value_reaches_the_source_the_form_the_diff_or_the_invalid_files()
      throws Exception {
    UiSession ui = start();
    server.writeFlow("daily.yaml", DAILY.replace("after", "later"));
    server.writeFlow("broken.yaml", "id: broken\nnamespace: ui\nbogus: " + UiHttpTest.CANARY);
    server.server.watcher().scan();
    for (String path :
        List.of(
            "/flows", "/flows/ui/daily", "/flows/ui/daily/diff", "/flows/ui/daily/diff?from=2")) {
      var p = ui.get(path);
      assertThat(p.status()).as(path).isEqualTo(200);
      assertThat(p.body()).as(path).doesNotContain(UiHttpTest.CANARY).contains("******");
    }
    assertThat(ui.get("/flows").body())
        .contains("broken.yaml")
        .contains("Flow files that do not load");
  }

  @Test
  void the_diff_shows_a_revision_beside_the_current_one_with_a_restore_button() throws Exception {
    UiSession ui = start();
    server.writeFlow("daily.yaml", DAILY.replace("id: after", "id: later"));
    server.server.watcher().scan();
    assertThat(server.get("/flows/ui/daily").json().get("revision").asInt()).isEqualTo(2);

    String body = ui.get("/flows/ui/daily/diff").body(); // the previous revision by default
    assertThat(body)
        .contains("revision 1 against the current revision 2")
        .contains("1 line(s) only in revision 1, 1 only in the current revision")
        .containsPattern(
            "<td class=\"code removed\"><code>.*<span class=\"y-k\">id</span>.* after</code>")
        .containsPattern(
            "<td class=\"code added\"><code>.*<span class=\"y-k\">id</span>.* later</code>")
        .contains("data-api-post=\"/api/v1/flows/ui/daily/rollback\"")
        .contains("data-api-body=\"{&quot;revision&quot;: 1}\"")
        .contains(">Restore revision 1</button>");

    var current = ui.get("/flows/ui/daily/diff?from=2").body();
    assertThat(current).contains("This is the current revision.").doesNotContain("Restore");
    assertThat(current).contains("The two texts are the same.");
  }

  @Test
  void an_unknown_flow_or_revision_is_a_404_page_and_a_bad_revision_a_400() throws Exception {
    UiSession ui = start();
    for (String path :
        List.of("/flows/ui/nope", "/flows/nope/daily/diff", "/flows/ui/daily/diff?from=9")) {
      var p = ui.get(path);
      assertThat(p.status()).as(path).isEqualTo(404);
      assertThat(p.header("Content-Type")).as(path).startsWith("text/html");
    }
    assertThat(ui.get("/flows/ui/nope").body()).contains("no flow ui/nope on this server");
    assertThat(ui.get("/flows/ui/daily/diff?from=9").body())
        .contains("flow ui/daily has no revision 9 (it has 1 to 1)");
    var bad = ui.get("/flows/ui/daily/diff?from=%3Cb%3E");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("&#39;&lt;b&gt;&#39; is not a revision number");
  }

  private static final Pattern SQUARE =
      Pattern.compile("<a class=\"hs state-([a-z_]+)\" href=\"/runs/([^\"]+)\"");

  /** The strip's runs, left to right, as "STATE id". */
  private static List<String> strip(String body) {
    var out = new ArrayList<String>();
    Matcher m = SQUARE.matcher(body);
    while (m.find()) {
      out.add(m.group(1).toUpperCase(java.util.Locale.ROOT) + " " + m.group(2));
    }
    return out;
  }

  static final String DAILY =
      """
      id: daily
      namespace: ui
      description: "Loads a day; canary-7f3c9e1d-secret-value stays hidden"
      inputs:
        - {id: day, type: date, required: true}
        - {id: at, type: datetime, default: "2026-01-31T06:00:00+01:00"}
        - {id: fail, type: boolean, default: false}
        - {id: batch, type: int, default: 3}
        - {id: note, type: string, default: "canary-7f3c9e1d-secret-value"}
        - {id: label, type: string, default: "{{ flow.id }}-label"}
      triggers:
        - {id: nightly, type: schedule, cron: "0 5 * * *"}
        - {id: hook, type: webhook, key: "{{ secret('HOOK') }}"}
        - id: downstream
          type: flow
          upstream: {flow: extract}
      tasks:
        - id: check
          type: shell
          env: {FAIL: "{{ inputs.fail }}"}
          command: '[ "$FAIL" = "false" ]'
        - id: after
          type: shell
          command: "true"
      """;
}
