package dev.weir.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.weir.server.ServerFixture;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flows pages in Chromium against a real server: the list with its health strips, a flow's page
 * (source, topology, triggers), restoring a revision from the diff view, disabling and enabling,
 * and "run now" with a typed date and a date-time read in a chosen IANA time zone (DST included).
 */
@BrowserTest
class FlowPagesBrowserTest {
  @TempDir static Path dir;
  static ServerFixture server;

  @BeforeAll
  static void startServer() throws Exception {
    var fixture = new ServerFixture(dir);
    server = fixture.start(UiHttpTest.withCanary(fixture.options()));
    server.writeFlow("daily.yaml", FlowPagesHttpTest.DAILY);
    server.writeFlow("toggle.yaml", TOGGLE);
    server.writeFlow("strip.yaml", STRIP);
    server.writeFlow("rolled.yaml", ROLLED_1);
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
    page.getByLabel("API token").fill(ServerFixture.TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page).hasURL(url(next));
  }

  static String run(String flow, String inputs) {
    String id =
        server
            .post("/flows/ui/" + flow + "/runs", "{\"inputs\": " + inputs + "}")
            .json()
            .get("runId")
            .asText();
    server.awaitRun(id);
    return id;
  }

  @Test
  void the_list_shows_a_health_strip_whose_squares_lead_to_their_runs(BrowserSession browser) {
    String ok = run("strip", "{}");
    String failed = run("strip", "{\"fail\": true}");
    Page page = browser.page();
    signIn(page, "/flows");
    Locator row = page.locator("tr[data-flow='ui.strip']");
    Locator squares = row.locator("a.hs");
    assertThat(squares).hasCount(2);
    assertThat(squares.nth(0)).hasAttribute("href", "/runs/" + ok);
    assertThat(squares.nth(1)).hasClass(Pattern.compile(".*state-failed.*"));
    assertThat(row.locator(".last-run")).hasText("failed");
    assertThat(page.locator("tr[data-flow='ui.toggle'] .flag")).hasText("enabled");
    browser.screenshotLightAndDark("flows");

    // links only: an open run page keeps an event stream that would outlive this class's server
    assertThat(squares.nth(1)).hasAttribute("href", "/runs/" + failed);
    assertThat(squares.nth(1)).hasAttribute("aria-label", Pattern.compile("run .* failed, .*"));
    assertThat(row.locator(".last-run")).hasAttribute("href", "/runs/" + failed);
    page.navigate(url("/flows/ui/daily"));
    assertThat(page.locator(".dag-view svg.dag g[data-task='check']")).isVisible();
    browser.assertNeverReceived(UiHttpTest.CANARY);
  }

  @Test
  void the_flow_page_shows_source_topology_and_triggers_and_a_task_leads_to_its_line(
      BrowserSession browser) {
    Page page = browser.page();
    signIn(page, "/flows/ui/daily");
    assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("ui.daily")))
        .isVisible();
    assertThat(page.locator(".yaml .y-k").first()).hasText("id");
    assertThat(page.locator("tr[data-trigger='nightly']")).containsText("0 5 * * *");
    assertThat(page.locator("tr[data-trigger='nightly'] time")).hasText(Pattern.compile(".* UTC"));
    Locator node = page.locator(".dag-view svg.dag g[data-task='after']");
    assertThat(node).isVisible();
    browser.screenshotLightAndDark("flow");

    node.click();
    Locator line = page.locator("[data-task-line='after']");
    String id = line.getAttribute("id");
    assertThat(page).hasURL(url("/flows/ui/daily#" + id));
    assertThat(line).containsText("after");
    page.locator("#L3 a.ln").click();
    assertThat(page).hasURL(url("/flows/ui/daily#L3"));
  }

  @Test
  void a_revision_is_restored_from_the_diff_view(BrowserSession browser) throws Exception {
    server.writeFlow("rolled.yaml", ROLLED_1.replace("echo first", "echo second"));
    server.server.watcher().scan();
    Page page = browser.page();
    signIn(page, "/flows/ui/rolled");
    assertThat(page.locator("[data-current-revision]")).hasText("2");
    page.locator("tr[data-revision='1']")
        .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("compare with current"))
        .click();
    assertThat(page).hasURL(url("/flows/ui/rolled/diff?from=1"));
    assertThat(page.locator("td.code.removed")).containsText("echo first");
    assertThat(page.locator("td.code.added")).containsText("echo second");
    browser.screenshotLightAndDark("flow-diff");

    page.onDialog(d -> d.accept());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Restore revision 1"))
        .click();
    assertThat(page).hasURL(url("/flows/ui/rolled"));
    assertThat(page.locator("[data-current-revision]")).hasText("3");
    assertThat(page.locator(".yaml")).containsText("echo first");
    JsonNode flow = server.get("/flows/ui/rolled").json();
    assertThat(flow.get("revision").asInt()).isEqualTo(3);
    assertThat(flow.get("source").asText()).isEqualTo(ROLLED_1);
    assertThat(flow.get("revisions").get(2).get("origin").asText()).isEqualTo("rollback to 1");
  }

  @Test
  @AllowConsoleErrors({"HTTP 409", "status of 409"})
  void a_flow_is_disabled_and_enabled_from_its_page_and_refuses_runs_while_disabled(
      BrowserSession browser) {
    Page page = browser.page();
    signIn(page, "/flows/ui/toggle");
    page.onDialog(d -> d.accept());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Disable")).click();
    assertThat(page.locator("[data-flow-enabled]")).hasText("disabled");
    assertThat(server.get("/flows/ui/toggle").json().get("enabled").asBoolean()).isFalse();

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run now")).click();
    assertThat(page.locator(".run-result"))
        .hasText("Refused: flow ui/toggle is disabled; enable it first (POST …/enable)");

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Enable")).click();
    assertThat(page.locator("[data-flow-enabled]")).hasText("enabled");
    assertThat(server.get("/flows/ui/toggle").json().get("enabled").asBoolean()).isTrue();
  }

  @Test
  void run_now_sends_a_typed_date_and_a_utc_datetime_and_links_to_the_run(BrowserSession browser) {
    Page page = browser.page();
    signIn(page, "/flows/ui/daily");
    page.locator("#in-day").fill("2026-03-01");
    page.locator("#in-at").fill("2026-03-01T09:30");
    assertThat(page.locator("[data-instant-for='at']")).hasText("sent as 2026-03-01T09:30:00Z");
    page.locator("#in-batch").fill("7");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run now")).click();
    Locator result = page.locator(".run-result");
    assertThat(result).containsText("Run started");
    browser.screenshotLightAndDark("flow-run-now");

    Locator link = result.getByRole(AriaRole.LINK);
    assertThat(link).hasAttribute("href", Pattern.compile("/runs/[0-9a-z]+"));
    String runId = link.getAttribute("href").substring("/runs/".length());
    JsonNode inputs = server.awaitRun(runId).get("inputs");
    assertThat(inputs.get("day").asText()).isEqualTo("2026-03-01");
    assertThat(OffsetDateTime.parse(inputs.get("at").asText()).toInstant())
        .isEqualTo(java.time.Instant.parse("2026-03-01T09:30:00Z"));
    assertThat(inputs.get("batch").asLong()).isEqualTo(7);
    assertThat(inputs.get("fail").asBoolean()).isFalse(); // left at its default
  }

  @Test
  void run_now_reads_a_datetime_in_the_browsers_time_zone_when_chosen(BrowserSession browser) {
    // a browser of its own, in +05:30 all year (the harness's contexts are in UTC)
    try (var context =
        browser
            .context()
            .browser()
            .newContext(
                new Browser.NewContextOptions()
                    .setTimezoneId("Asia/Kolkata")
                    .setLocale("en-US")
                    .setViewportSize(1280, 800))) {
      Page page = context.newPage();
      var problems = new java.util.ArrayList<String>();
      page.onConsoleMessage(m -> {
        if (m.type().equals("error")) {
          problems.add(m.text());
        }
      });
      signIn(page, "/flows/ui/daily");
      Locator select = page.locator("[data-zone-for='at']");
      // Chromium names it by its older alias, Asia/Calcutta
      // offered right after UTC
      Locator local = select.locator("option").nth(1);
      assertThat(local).hasText(Pattern.compile("Asia/(Kolkata|Calcutta) \\(this browser\\)"));
      page.locator("#in-day").fill("2026-03-02");
      page.locator("#in-at").fill("2026-03-01T09:30");
      assertThat(page.locator("[data-instant-for='at']")).hasText("sent as 2026-03-01T09:30:00Z");
      select.selectOption(local.getAttribute("value"));
      assertThat(page.locator("[data-instant-for='at']")).hasText("sent as 2026-03-01T04:00:00Z");
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run now")).click();
      Locator link = page.locator(".run-result a");
      assertThat(link).isVisible();
      String runId = link.getAttribute("href").substring("/runs/".length());
      JsonNode inputs = server.awaitRun(runId).get("inputs");
      assertThat(inputs.get("day").asText()).isEqualTo("2026-03-02");
      assertThat(OffsetDateTime.parse(inputs.get("at").asText()).toInstant())
          .isEqualTo(java.time.Instant.parse("2026-03-01T04:00:00Z"));
      assertThat(problems).isEmpty();
    }
  }

  @Test
  @AllowConsoleErrors({"HTTP 400", "status of 400"})
  void run_now_reads_a_datetime_in_any_iana_zone_on_the_server_and_refuses_a_skipped_time(
      BrowserSession browser) {
    Page page = browser.page();
    signIn(page, "/flows/ui/daily");
    Locator zone = page.locator("[data-zone-for='at']");
    // UTC first (this browser's zone too, here)
    assertThat(zone.locator("option").first())
        .hasText(Pattern.compile("UTC( \\(this browser\\))?"));
    zone.selectOption("America/New_York");
    page.locator("#in-day").fill("2026-03-08");
    Locator sent = page.locator("[data-instant-for='at']");
    // 02:30 on the day New York springs forward does not exist
    page.locator("#in-at").fill("2026-03-08T02:30");
    assertThat(sent).hasText(Pattern.compile(".*does not exist in America/New_York.*"));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run now")).click();
    assertThat(page.locator(".run-result"))
        .hasText(Pattern.compile("Refused: at: 2026-03-08T02:30 does not exist in .*"));

    page.locator("#in-at").fill("2026-03-08T09:30");
    assertThat(sent).hasText("sent as 2026-03-08T13:30:00Z"); // EDT, -04:00 from 03:00 that day
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run now")).click();
    Locator link = page.locator(".run-result a");
    assertThat(link).isVisible();
    String runId = link.getAttribute("href").substring("/runs/".length());
    JsonNode inputs = server.awaitRun(runId).get("inputs");
    assertThat(OffsetDateTime.parse(inputs.get("at").asText()).toInstant())
        .isEqualTo(java.time.Instant.parse("2026-03-08T13:30:00Z"));
  }

  static final String STRIP =
      """
      id: strip
      namespace: ui
      description: a health strip of two runs
      inputs:
        - {id: fail, type: boolean, default: false}
      tasks:
        - id: check
          type: shell
          env: {FAIL: "{{ inputs.fail }}"}
          command: '[ "$FAIL" = "false" ]'
      """;

  static final String TOGGLE =
      """
      id: toggle
      namespace: ui
      tasks:
        - id: only
          type: shell
          command: "true"
      """;

  static final String ROLLED_1 =
      """
      id: rolled
      namespace: ui
      description: restored from the diff view
      tasks:
        - id: say
          type: shell
          command: echo first
        - id: then
          type: shell
          command: "true"
      """;
}
