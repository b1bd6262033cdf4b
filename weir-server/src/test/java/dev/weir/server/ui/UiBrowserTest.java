package dev.weir.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.weir.server.ServerFixture;
import dev.weir.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI in Chromium against a real server: sign-in, every page, a run updating live, cancel and
 * retry from the run page, "why is it waiting" for a pool-blocked and a retry-waiting task, and a
 * canary secret that no page, script or SSE message ever carries.
 */
@BrowserTest
class UiBrowserTest {
  @TempDir static Path dir;
  static ServerFixture server;

  @BeforeAll
  static void startServer() throws Exception {
    var fixture = new ServerFixture(dir);
    ServerOptions o = UiHttpTest.withCanary(fixture.options());
    server = fixture.start(o.withPools(Map.of("narrow", 1)));
    server.writeFlow("leak.yaml", UiHttpTest.LEAK);
    server.writeFlow("gate.yaml", GATE);
    server.writeFlow("pooled.yaml", POOLED);
    server.writeFlow("flaky.yaml", FLAKY);
    server.writeFlow("ticker.yaml", TICKER);
    server.server.watcher().scan();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  static String url(String path) {
    return "http://127.0.0.1:" + server.server.port() + path;
  }

  static void signIn(Page page, String next) {
    page.navigate(url(next));
    assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/sign-in\\?next=.*"));
    page.getByLabel("API token").fill(ServerFixture.TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
  }

  String start(String flow, String body) {
    return server.post("/flows/ui/" + flow + "/runs", body).json().get("runId").asText();
  }

  @Test
  @AllowConsoleErrors({"HTTP 401", "status of 401"})
  void a_wrong_token_is_refused_and_a_right_one_lands_on_the_page_asked_for(
      BrowserSession browser) {
    Page page = browser.page();
    page.navigate(url("/runs"));
    page.getByLabel("API token").fill("wrong-token");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.getByRole(AriaRole.ALERT)).hasText("That token is not valid for this server.");
    browser.screenshotLightAndDark("sign-in-refused");

    page.getByLabel("API token").fill(ServerFixture.TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page).hasURL(url("/runs"));
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Runs")))
        .isVisible();

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    assertThat(page).hasURL(url("/sign-in"));
    page.navigate(url("/"));
    assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/sign-in\\?next=%2F"));
  }

  @Test
  void a_running_flow_updates_live_and_can_be_cancelled(BrowserSession browser) throws Exception {
    Page page = browser.page();
    Path gate = dir.resolve("gate-" + System.nanoTime());
    String runId = start("gate", "{\"inputs\": {\"gate\": \"" + gate + "\"}}");
    signIn(page, "/runs/" + runId);
    Locator wait = page.locator("svg.dag [data-task='wait']");
    assertThat(wait).hasClass(java.util.regex.Pattern.compile(".*state-running.*"));
    assertThat(page.locator("[data-waiting-list]")).containsText("upstream task wait is running");
    browser.screenshotLightAndDark("run-live");

    page.onDialog(d -> d.accept());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel run")).click();
    assertThat(page.locator("[data-run-state]")).hasText("cancelled");
    assertThat(server.awaitRun(runId).get("state").asText()).isEqualTo("CANCELLED");
    browser.screenshot("run-cancelled");
  }

  @Test
  void a_finished_task_turns_green_on_an_open_page_without_a_reload(BrowserSession browser)
      throws Exception {
    Page page = browser.page();
    Path gate = dir.resolve("gate-" + System.nanoTime());
    String runId = start("gate", "{\"inputs\": {\"gate\": \"" + gate + "\"}}");
    signIn(page, "/runs/" + runId);
    assertThat(page.locator("svg.dag [data-task='wait']"))
        .hasClass(java.util.regex.Pattern.compile(".*state-running.*"));
    page.evaluate("window.__notReloaded = true");
    Files.writeString(gate, "go");
    assertThat(page.locator("svg.dag [data-task='after']"))
        .hasClass(java.util.regex.Pattern.compile(".*state-succeeded.*"));
    assertThat(page.locator("[data-run-state]")).hasText("succeeded");
    assertThat(page.locator("[data-task-state='wait']")).hasText("succeeded");
    assertThat(page.evaluate("window.__notReloaded")).isEqualTo(true);
    assertThat(page.locator("svg.gantt rect.seg.run")).hasCount(2);
  }

  @Test
  void a_pool_blocked_task_and_a_retry_waiting_task_say_why_they_wait(BrowserSession browser)
      throws Exception {
    Page page = browser.page();
    Path gate = dir.resolve("gate-" + System.nanoTime());
    String pooled = start("pooled", "{\"inputs\": {\"gate\": \"" + gate + "\"}}");
    signIn(page, "/runs/" + pooled);
    // both tasks wait for the gate, so whichever takes the slot first (each acquires it on its
    // own thread) holds it while the other waits; on a loaded machine (CI, once) reaching the
    // pool's line took longer than the default 10 s
    assertThat(page.locator("[data-waiting-list]"))
        .containsText(
            "pool narrow is full: 1 of 1 slots in use",
            new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions()
                .setTimeout(30_000));
    browser.screenshotLightAndDark("why-waiting-pool");
    Files.writeString(gate, "go");
    assertThat(page.locator("[data-run-state]")).hasText("succeeded");

    String flaky = start("flaky", "{}");
    page.navigate(url("/runs/" + flaky));
    assertThat(page.locator("[data-waiting-list]"))
        .containsText("fails: attempt 1 failed; attempt 2 waits for its retry delay until 2026");
    browser.screenshot("why-waiting-retry");
    server.post("/runs/" + flaky + "/cancel", "{}");
  }

  @Test
  void the_runs_list_filters_sorts_pages_and_cancels_selected_runs(BrowserSession browser)
      throws Exception {
    Page page = browser.page();
    Path gate = dir.resolve("gate-" + System.nanoTime());
    String a = start("gate", "{\"inputs\": {\"gate\": \"" + gate + "\"}}");
    String b = start("gate", "{\"inputs\": {\"gate\": \"" + gate + "\"}}");
    signIn(page, "/runs?flow=gate&state=RUNNING&state=QUEUED&limit=1");
    assertThat(page.locator("table.runs tbody tr")).hasCount(1);
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Next page")).first().click();
    assertThat(page.locator("table.runs tbody tr")).hasCount(1);
    page.navigate(url("/runs?flow=gate&state=RUNNING&state=QUEUED"));
    assertThat(page.locator("table.runs tbody tr")).hasCount(2);
    browser.screenshotLightAndDark("runs-filtered");
    page.getByLabel("Select every run on this page").check();
    page.onDialog(d -> d.accept());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel selected")).click();
    assertThat(page.locator(".bulk .action-result")).hasText("Done for 2 runs.");
    assertThat(server.awaitRun(a).get("state").asText()).isEqualTo("CANCELLED");
    assertThat(server.awaitRun(b).get("state").asText()).isEqualTo("CANCELLED");

    page.navigate(url("/runs?sort=duration&order=desc&minDuration=nonsense"));
    assertThat(page.getByRole(AriaRole.ALERT)).containsText("minDuration");
  }

  @Test
  void retry_from_the_run_page_starts_the_failed_run_again(BrowserSession browser)
      throws Exception {
    Page page = browser.page();
    String runId = start("leak", "{}");
    server.awaitRun(runId);
    signIn(page, "/runs/" + runId);
    assertThat(page.locator("[data-run-state]")).hasText("failed");
    page.onDialog(d -> d.accept());
    var answer =
        page.waitForResponse(
            r -> r.url().endsWith("/runs/" + runId + "/retry"),
            () ->
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Retry run"))
                    .click());
    org.assertj.core.api.Assertions.assertThat(answer.status()).isEqualTo(202);
    assertThat(server.get("/runs/" + runId).json().get("attempt").asInt()).isGreaterThan(1);
    page.waitForURL(url("/runs/" + runId)); // the page reloads to show the new attempt
  }

  @Test
  void no_page_script_or_sse_message_carries_the_canary_secret(BrowserSession browser)
      throws Exception {
    Page page = browser.page();
    String runId = start("leak", "{\"inputs\": {\"note\": \"" + UiHttpTest.CANARY + "\"}}");
    server.awaitRun(runId);
    signIn(page, "/");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Overview")))
        .isVisible();
    browser.screenshotLightAndDark("overview");
    page.navigate(url("/runs"));
    browser.screenshotLightAndDark("runs");
    page.navigate(url("/runs/" + runId));
    assertThat(page.locator("[data-run-state]")).hasText("failed");
    assertThat(page.locator(".dag-view svg")).isVisible();
    browser.screenshotLightAndDark("run-failed");
    page.navigate(url("/runs/" + runId + "/logs?q=secret"));
    assertThat(page.locator("ol.log")).containsText("the secret is ******");
    browser.screenshotLightAndDark("logs");
    browser.assertNeverReceived(UiHttpTest.CANARY);
  }

  @Test
  void the_logs_page_follows_a_running_run_and_searches_on_the_server(BrowserSession browser)
      throws Exception {
    Page page = browser.page();
    Path gate = dir.resolve("gate-" + System.nanoTime());
    String runId = start("ticker", "{\"inputs\": {\"gate\": \"" + gate + "\"}}");
    signIn(page, "/runs/" + runId + "/logs");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Follow")).click();
    assertThat(page.locator("ol.log li").last()).containsText("tick");
    Files.writeString(gate, "go");
    assertThat(page.locator("ol.log")).containsText("done ticking");
    assertThat(page.locator("[data-follow]")).hasText("The run has ended");
    browser.screenshot("logs-followed");

    page.getByLabel("Search").fill("DONE TICK");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show").setExact(true))
        .click();
    assertThat(page.locator("ol.log li")).hasCount(1);
    assertThat(page.locator("ol.log li")).containsText("done ticking");
  }

  static final String TICKER =
      """
      id: ticker
      namespace: ui
      inputs:
        - {id: gate, type: string}
      tasks:
        - id: tick
          type: shell
          env:
            GATE: "{{ inputs.gate }}"
          command: |
            for i in $(seq 1 300); do echo "tick $i"; [ -f "$GATE" ] && break; sleep 0.1; done
            echo "done ticking"
      """;

  static final String GATE = RunGraphApiTest.GATE;

  static final String POOLED =
      """
      id: pooled
      namespace: ui
      inputs:
        - {id: gate, type: string}
      tasks:
        - id: first
          type: shell
          pool: narrow
          env:
            GATE: "{{ inputs.gate }}"
          command: |
            for i in $(seq 1 300); do [ -f "$GATE" ] && exit 0; sleep 0.1; done; exit 1
        - id: second
          type: shell
          pool: narrow
          dependsOn: []
          env:
            GATE: "{{ inputs.gate }}"
          command: |
            for i in $(seq 1 300); do [ -f "$GATE" ] && exit 0; sleep 0.1; done; exit 1
      """;

  static final String FLAKY =
      """
      id: flaky
      namespace: ui
      tasks:
        - id: fails
          type: shell
          retry: {attempts: 3, delay: 10m}
          command: exit 1
      """;
}
