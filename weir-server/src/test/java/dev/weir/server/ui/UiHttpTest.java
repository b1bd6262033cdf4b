package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.server.ServerOptions;
import dev.weir.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI over plain HTTP (the browser tests drive the same pages in Chromium): sign-in and its
 * failures, the session cookie, CSRF on every change, every page rendered, no secret anywhere.
 */
class UiHttpTest {
  static final String CANARY = "canary-7f3c9e1d-secret-value";

  @TempDir Path dir;
  ServerFixture server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private UiSession start() throws Exception {
    server = new ServerFixture(dir).start(withCanary(new ServerFixture(dir).options()));
    return new UiSession(server);
  }

  static ServerOptions withCanary(ServerOptions o) {
    return o.withEnvironment(Map.of("WEIR_SECRET_CANARY", CANARY));
  }

  @Test
  void every_page_sends_a_browser_without_a_session_to_sign_in() throws Exception {
    UiSession ui = start();
    for (String path : List.of("/", "/runs", "/runs/abc", "/runs/abc/logs?q=x")) {
      var p = ui.get(path);
      assertThat(p.status()).as(path).isEqualTo(302);
      assertThat(p.header("Location")).as(path).startsWith("/sign-in?next=");
    }
    assertThat(ui.get("/sign-in").status()).isEqualTo(200);
    // the API answers 401 (JSON), and says how to get in
    assertThat(ui.get("/api/v1/runs").status()).isEqualTo(401);
  }

  @Test
  void a_wrong_token_is_refused_without_echoing_it_and_a_right_one_opens_a_strict_session()
      throws Exception {
    UiSession ui = start();
    var wrong = ui.signIn("not-the-token-42");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).contains("That token is not valid").doesNotContain("not-the-token-42");
    assertThat(ui.cookies).doesNotContainKey(Sessions.COOKIE);

    var ok = ui.signIn(ServerFixture.TOKEN);
    assertThat(ok.status()).isEqualTo(303);
    assertThat(ok.header("Location")).isEqualTo("/runs");
    String setCookie =
        ok.headers().get("set-cookie").stream()
            .filter(c -> c.startsWith(Sessions.COOKIE + "="))
            .findFirst()
            .orElseThrow();
    assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
    assertThat(setCookie).contains("Max-Age=43200");
    assertThat(ui.get("/runs").status()).isEqualTo(200);
  }

  @Test
  void sign_in_without_the_forms_token_is_refused() throws Exception {
    UiSession ui = start();
    var p = ui.postForm("/sign-in", Map.of("token", ServerFixture.TOKEN));
    assertThat(p.status()).isEqualTo(403);
    assertThat(ui.cookies).doesNotContainKey(Sessions.COOKIE);
  }

  @Test
  void after_sign_in_only_local_paths_are_followed() {
    assertThat(SignIn.next("//evil.example/x")).isEqualTo("/");
    assertThat(SignIn.next("https://evil.example/")).isEqualTo("/");
    assertThat(SignIn.next("/\\evil.example")).isEqualTo("/");
    assertThat(SignIn.next("/runs?state=FAILED")).isEqualTo("/runs?state=FAILED");
  }

  @Test
  void the_api_takes_the_session_but_every_change_needs_its_csrf_token() throws Exception {
    UiSession ui = start();
    ui.signIn(ServerFixture.TOKEN);
    server.writeFlow("slow.yaml", SLOW);
    server.server.watcher().scan();
    String runId = server.post("/flows/ui/slow/runs", "{}").json().get("runId").asText();

    assertThat(ui.get("/api/v1/runs").status()).isEqualTo(200);
    var refused = ui.postJson("/api/v1/runs/" + runId + "/cancel", null);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("CSRF");
    var wrong = ui.postJson("/api/v1/runs/" + runId + "/cancel", "not-the-csrf");
    assertThat(wrong.status()).isEqualTo(403);

    String csrf = ui.get("/runs/" + runId).csrf();
    var done = ui.postJson("/api/v1/runs/" + runId + "/cancel", csrf);
    assertThat(done.status()).isEqualTo(202);
    assertThat(server.awaitRun(runId).get("state").asText()).isEqualTo("CANCELLED");
  }

  @Test
  void every_page_renders_with_strict_headers_and_no_secret_value() throws Exception {
    UiSession ui = start();
    ui.signIn(ServerFixture.TOKEN);
    server.writeFlow("leak.yaml", LEAK);
    server.server.watcher().scan();
    var started =
        server.post("/flows/ui/leak/runs", "{\"inputs\": {\"note\": \"" + CANARY + "\"}}").json();
    String runId = started.get("runId").asText();
    assertThat(server.awaitRun(runId).get("state").asText()).isEqualTo("FAILED");

    for (String path :
        List.of(
            "/",
            "/runs",
            "/runs?state=FAILED&flow=leak",
            "/runs/" + runId,
            "/runs/" + runId + "/logs",
            "/runs/" + runId + "/logs?q=secret",
            "/ui/static/app.js",
            "/ui/static/app.css")) {
      var p = ui.get(path);
      assertThat(p.status()).as(path).isEqualTo(200);
      assertThat(p.body()).as(path).doesNotContain(CANARY);
    }
    var run = ui.get("/runs/" + runId);
    assertThat(run.body()).contains(runId, "leak", "failed", "******");
    assertThat(run.header("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(run.header("X-Content-Type-Options")).isEqualTo("nosniff");
    var logs = ui.get("/runs/" + runId + "/logs?q=secret");
    assertThat(logs.body()).contains("the secret is ******");
    var download = ui.get("/api/v1/runs/" + runId + "/logs.txt");
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"weir-" + runId + ".log\"");
    assertThat(download.body()).contains("talk#1 INFO the secret is ******").doesNotContain(CANARY);
  }

  @Test
  void the_run_page_shows_what_each_task_read_wrote_and_rejected() throws Exception {
    UiSession ui = start();
    ui.signIn(ServerFixture.TOKEN);
    java.nio.file.Files.writeString(
        server.flowsDir.resolve("orders.csv"), "id,amount\n1,10\n2,twelve\n3,30\n");
    server.writeFlow(
        "audited.yaml",
        """
        id: audited
        namespace: ui
        tasks:
          - id: orders
            type: file.read
            path: orders.csv
            schema: {id: BIGINT, amount: INTEGER}
            maxRejected: 50%
        """);
    server.server.watcher().scan();
    String runId = server.post("/flows/ui/audited/runs", "{}").json().get("runId").asText();
    assertThat(server.awaitRun(runId).get("state").asText()).isEqualTo("SUCCEEDED");
    var page = ui.get("/runs/" + runId);
    assertThat(page.body()).contains("Read / written / rejected").contains("3 / 2 / 1");
    assertThat(page.body()).containsPattern("class=\"ds out\">[^<]*orders");
  }

  @Test
  void a_session_expires_and_sign_out_ends_it() throws Exception {
    var clock = new SettableClock(Instant.parse("2026-12-02T08:00:00Z"));
    var fixture = new ServerFixture(dir, clock);
    server = fixture.start();
    UiSession ui = new UiSession(server);
    ui.signIn(ServerFixture.TOKEN);
    assertThat(ui.get("/runs").status()).isEqualTo(200);
    clock.advance(Duration.ofHours(12));
    assertThat(ui.get("/runs").status()).isEqualTo(302);

    ui.signIn(ServerFixture.TOKEN);
    String cookie = ui.cookies.get(Sessions.COOKIE);
    String csrf = ui.get("/runs").csrf();
    assertThat(ui.postForm("/sign-out", Map.of("csrf", "wrong")).status()).isEqualTo(403);
    var out = ui.postForm("/sign-out", Map.of("csrf", csrf));
    assertThat(out.status()).isEqualTo(303);
    ui.cookies.put(Sessions.COOKIE, cookie); // a copied cookie no longer works either
    assertThat(ui.get("/runs").status()).isEqualTo(302);
  }

  @Test
  void an_unknown_page_and_an_unknown_run_answer_html_not_json() throws Exception {
    UiSession ui = start();
    ui.signIn(ServerFixture.TOKEN);
    var missing = ui.get("/runs/does-not-exist");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("Content-Type")).startsWith("text/html");
    assertThat(missing.body()).contains("no run &#39;does-not-exist&#39;");
    var nowhere = ui.get("/no/such/page");
    assertThat(nowhere.status()).isEqualTo(404);
    assertThat(nowhere.body()).contains("There is no page at /no/such/page");
    assertThat(ui.get("/api/v1/nothing").body()).contains("\"error\"");
  }

  static final String SLOW =
      """
      id: slow
      namespace: ui
      tasks:
        - id: wait
          type: shell
          command: sleep 30
      """;

  static final String LEAK =
      """
      id: leak
      namespace: ui
      inputs:
        - id: note
          type: string
          default: nothing
      tasks:
        - id: talk
          type: shell
          env:
            S: "{{ secret('CANARY') }}"
          command: |
            echo "the secret is $S"
            echo "failing with $S" >&2
            exit 3
      """;
}
