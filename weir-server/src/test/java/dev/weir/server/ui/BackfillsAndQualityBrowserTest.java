package dev.weir.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.weir.server.ServerFixture;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfills and quality in Chromium: a backfill's preview with its exact dates and what happens to
 * each, then its creation and progress; pause and cancel from its page; the datasets page with a
 * passing and a failing check and the row-count trend; the overview's quality warnings and
 * freshness. No page carries the canary secret.
 */
@BrowserTest
class BackfillsAndQualityBrowserTest {
  @TempDir static Path dir;
  static ServerFixture server;
  static String earlierRun;

  /** Loads each Berlin day into DuckDB, replacing that day's rows when it runs again. */
  static String daily() {
    return """
    id: daily
    namespace: ui
    triggers:
      - {id: nightly, type: schedule, cron: "30 2 * * *", timezone: Europe/Berlin, disabled: true}
    tasks:
      - id: shape
        type: sql.transform
        sql: SELECT DATE '{{ run.logicalDate | date('yyyy-MM-dd', timeZone='Europe/Berlin') }}' AS day
      - id: load
        type: jdbc.load
        dataset: shape
        url: "jdbc:duckdb:WAREHOUSE"
        table: daily_orders
        mode: replacePartition
        partition: {column: day, value: "{{ run.logicalDate | date('yyyy-MM-dd', timeZone='Europe/Berlin') }}"}
    """
        .replace("WAREHOUSE", dir.resolve("warehouse.duckdb").toString());
  }

  static final String SLOW =
      """
      id: slow
      namespace: ui
      triggers:
        - {id: daily, type: schedule, cron: "0 5 * * *", timezone: UTC, disabled: true}
      tasks:
        - {id: wait, type: shell, command: "sleep 30"}
      """;

  /** Items with a duplicate id (an error: the run fails) and a note holding the canary. */
  static final String STRICT =
      """
      id: strict
      namespace: ui
      tasks:
        - id: items
          type: sql.transform
          sql: SELECT 1 AS id, '{{ secret('CANARY') }}' AS note UNION ALL SELECT 1 AS id, 'x' AS note
        - id: check_items
          type: quality.check
          dataset: items
          checks:
            - rowCount: {min: 1}
            - unique: [id]
      """;

  @BeforeAll
  static void startServer() throws Exception {
    var fixture = new ServerFixture(dir);
    server = fixture.start(UiHttpTest.withCanary(fixture.options()));
    server.writeFlow("daily.yaml", daily());
    server.writeFlow("slow.yaml", SLOW);
    // its schedule fires on 29 February only: never while the test runs, but it is listed
    server.writeFlow("orders.yaml", QualityPagesTest.ORDERS.replace("0 9 * * *", "0 9 29 2 *"));
    server.writeFlow("strict.yaml", STRICT);
    server.server.watcher().scan();
    earlierRun = run("daily", "{\"logicalDate\": \"2026-03-29T01:30:00Z\"}", "SUCCEEDED");
    for (int rows : new int[] {1000, 1000, 1010, 990, 1000, 400}) {
      run("orders", "{\"inputs\": {\"rows\": " + rows + "}}", "SUCCEEDED");
    }
    run("strict", "{}", "FAILED");
  }

  private static String run(String flow, String body, String state) {
    var r = server.post("/flows/ui/" + flow + "/runs", body);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    String id = r.json().path("runId").asText();
    assertThat(server.awaitRun(id).path("state").asText()).as(flow).isEqualTo(state);
    return id;
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static void signIn(Page page, String next) {
    page.navigate("http://127.0.0.1:" + server.server.port() + next);
    page.getByLabel("API token").fill(ServerFixture.TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page).hasURL("http://127.0.0.1:" + server.server.port() + next);
  }

  private static Locator button(Page page, String name) {
    return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name));
  }

  @Test
  void a_backfill_preview_shows_the_exact_dates_and_their_fate_then_creates_it(
      BrowserSession browser) {
    Page page = browser.page();
    signIn(page, "/backfills/new");
    page.locator("select[name=flow]").selectOption("ui/daily");
    assertThat(page.locator("[data-bf-zone]")).containsText("Europe/Berlin");
    page.locator("input[name=from]").fill("2026-03-28");
    page.locator("input[name=to]").fill("2026-03-30");
    assertThat(button(page, "Create backfill")).isDisabled();
    button(page, "Preview").click();

    Locator rows = page.locator("[data-bf-slots] tr");
    assertThat(rows).hasCount(3);
    // 02:30 in Berlin, in winter and then in summer time (02:30 does not exist on the 29th)
    assertThat(rows.nth(0)).containsText("2026-03-28 01:30:00 UTC");
    assertThat(rows.nth(1)).containsText("2026-03-29 01:30:00 UTC");
    assertThat(rows.nth(1)).containsText("03:30");
    assertThat(rows.nth(2)).containsText("2026-03-30 00:30:00 UTC");
    assertThat(rows.nth(2)).containsText("02:30");
    assertThat(rows.nth(0).locator("[data-fate]")).hasText("new run");
    assertThat(rows.nth(1).locator("[data-fate]"))
        .containsText("runs again: its rows replace those of " + earlierRun);
    assertThat(page.locator("[data-bf-headline]"))
        .containsText("3 runs of ui/daily for schedule nightly");
    assertThat(page.locator("[data-bf-headline]")).containsText("2 new, 1 replace earlier runs");
    assertThat(page.locator("[data-bf-loads]"))
        .containsText("load → daily_orders (replacePartition)");
    browser.screenshotLightAndDark("backfill-preview");

    // a changed form must be previewed again before it can be created
    page.locator("input[name=to]").fill("2026-03-31");
    assertThat(button(page, "Create backfill")).isDisabled();
    page.locator("input[name=to]").fill("2026-03-30");
    assertThat(button(page, "Create backfill")).isEnabled();
    button(page, "Create backfill").click();

    assertThat(page).hasURL(Pattern.compile(".*/backfills/bf_[a-z0-9]+$"));
    assertThat(page.locator("tr[data-slot]")).hasCount(3);
    assertThat(page.locator("tr[data-slot]").nth(1)).containsText("2026-03-29 01:30:00 UTC");
    // the page follows the runs without a reload
    page.evaluate("window.__notReloaded = true");
    assertThat(page.locator("[data-bf-state]")).hasText("succeeded");
    assertThat(page.locator("[data-bf-done]")).hasText("3");
    assertThat(page.locator("tr[data-slot] [data-slot-run] a")).hasCount(3);
    assertThat(page.evaluate("window.__notReloaded")).isEqualTo(true);
    browser.screenshotLightAndDark("backfill-done");

    page.navigate("http://127.0.0.1:" + server.server.port() + "/backfills");
    assertThat(page.locator("table.backfills tbody tr").first()).containsText("3 / 3 done");
    browser.screenshot("backfills");
  }

  @Test
  void a_backfill_is_paused_and_cancelled_from_its_page(BrowserSession browser) {
    var created =
        server.post(
            "/backfills",
            "{\"flow\": \"ui/slow\", \"from\": \"2026-03-01\", \"to\": \"2026-03-03\"}");
    String id = created.json().path("id").asText();
    Page page = browser.page();
    signIn(page, "/backfills/" + id);
    assertThat(page.locator("[data-bf-state]")).hasText("running");
    assertThat(page.locator("tr[data-slot]").first().locator("[data-slot-state]"))
        .containsText(Pattern.compile("queued|running"));

    button(page, "Pause").click();
    assertThat(page.locator("[data-bf-state]")).hasText("paused");
    assertThat(button(page, "Resume")).isVisible();
    assertThat(button(page, "Pause")).isHidden();
    browser.screenshotLightAndDark("backfill-paused");

    page.onDialog(d -> d.accept());
    button(page, "Cancel backfill").click();
    assertThat(page.locator("[data-bf-state]")).hasText("cancelled");
    assertThat(button(page, "Cancel backfill")).isHidden();
    assertThat(button(page, "Resume")).isHidden();
    String runId =
        server.get("/backfills/" + id).json().path("slots").get(0).path("runId").asText();
    assertThat(server.awaitRun(runId).path("state").asText()).isEqualTo("CANCELLED");
    assertThat(server.get("/backfills/" + id).json().path("progress").path("pending").asInt())
        .isEqualTo(2);
  }

  @Test
  void the_datasets_page_shows_a_passing_and_a_failing_check_and_the_row_count_trend(
      BrowserSession browser) {
    Page page = browser.page();
    signIn(page, "/datasets");
    Locator items = page.locator("#ds-ui-strict-items");
    assertThat(items.locator("[data-check='rowCount(min=1)'] .strip .mark-pass")).hasCount(1);
    assertThat(items.locator("[data-check='unique(id)'] .strip .mark-fail")).hasCount(1);
    assertThat(items.locator("[data-worst]")).hasText("fail");
    Locator orders = page.locator("#ds-ui-orders-orders");
    assertThat(orders.locator("svg.trend-chart polyline.observed")).isVisible();
    assertThat(orders.locator("svg.trend-chart polyline.baseline")).not().hasCount(0);
    assertThat(orders.locator("svg.trend-chart circle.mark-warn")).hasCount(1);
    assertThat(
            orders.locator(
                "[data-check='anomaly(rowCount, lookback=10, maxChangePercent=50)'] .strip .mark"))
        .hasCount(6);
    browser.screenshotLightAndDark("datasets");

    page.locator("#ds-ui-orders-notes [data-check='unique(id)'] .strip .mark").last().click();
    assertThat(page).hasURL(Pattern.compile(".*/runs/[0-9a-z]+$"));
    browser.assertNeverReceived(UiHttpTest.CANARY);
  }

  @Test
  void the_overview_shows_the_quality_warnings_and_the_freshness_of_each_dataset(
      BrowserSession browser) {
    Page page = browser.page();
    signIn(page, "/");
    Locator warnings = page.locator("[data-quality-warnings]");
    assertThat(warnings).containsText("ui/strict · items");
    assertThat(warnings.locator("tr", new Locator.LocatorOptions().setHasText("ui/strict")))
        .containsText("fail");
    assertThat(warnings).containsText("anomaly(rowCount, lookback=10, maxChangePercent=50)");
    assertThat(warnings).containsText("warn");
    assertThat(warnings).containsText("******");
    Locator fresh = page.locator("[data-freshness]");
    assertThat(fresh).containsText("ui/orders · orders");
    assertThat(fresh).containsText("ui/daily · shape");
    assertThat(page.locator("section[aria-labelledby='upcoming']")).containsText("ui/orders");
    browser.screenshotLightAndDark("overview-signals");

    fresh.getByText("ui/orders · orders").click();
    assertThat(page).hasURL(Pattern.compile(".*/datasets\\?flow=ui%2Forders&dataset=orders$"));
    assertThat(page.locator("section.dataset")).hasCount(1);
    browser.assertNeverReceived(UiHttpTest.CANARY);
  }
}
