package dev.weir.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.weir.server.ServerFixture;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's dead letters on its page, per task: a jdbc.load within maxRejected (its letters, a masked
 * preview, the replay to copy) and a task over it (open, with the retry instead).
 */
@BrowserTest
class DeadLettersBrowserTest {
  @TempDir static Path dir;
  static ServerFixture server;
  static String runId;

  @BeforeAll
  static void startServer() throws Exception {
    var fixture = new ServerFixture(dir);
    server = fixture.start(UiHttpTest.withCanary(fixture.options()));
    Path db = dir.resolve("warehouse.duckdb");
    try (var conn = DriverManager.getConnection("jdbc:duckdb:" + db);
        var st = conn.createStatement()) {
      st.execute(
          "CREATE TABLE orders (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, note VARCHAR)");
      st.execute("INSERT INTO orders VALUES (1, 'old', NULL)");
    }
    server.writeFlow(
        "orders.yaml",
        """
        id: orders
        namespace: shop
        tasks:
          - id: shape
            type: sql.transform
            sql: |
              SELECT * FROM (VALUES (2, 'ok', 'fine'), (3, NULL, 'token {{ secret('CANARY') }}'),
                (1, 'dup', 'again'), (4, 'four', 'fine')) t(id, name, note)
          - id: load
            type: jdbc.load
            dataset: shape
            url: jdbc:duckdb:%s
            table: orders
            deadLetter: {path: dead/, maxRejected: 2}
          - id: events
            type: test.rejects
            dependsOn: []
            records: [a, b, c, d]
            bad: [b, d]
            deadLetter: {path: dead/, maxRejected: 1}
        """
            .formatted(db));
    server.server.watcher().scan();
    runId = server.post("/flows/shop/orders/runs", "{}").json().path("runId").asText();
    server.awaitRun(runId);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
    TestTasks.reset();
  }

  @Test
  void each_task_shows_its_dead_letters_with_a_masked_preview_and_the_command_to_copy(
      BrowserSession browser) {
    Page page = browser.page();
    String url = "http://127.0.0.1:" + server.server.port() + "/runs/" + runId;
    page.navigate(url);
    page.getByLabel("API token").fill(ServerFixture.TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page).hasURL(url);
    assertThat(page.locator("[data-run-state]")).hasText("failed");

    // within maxRejected: the task succeeded, its letters folded in its row
    Locator load = page.locator("#task-load details.letters");
    assertThat(load.locator("summary")).containsText("2 dead letters");
    assertThat(load.locator("summary")).containsText("of 4 records, attempt 1");
    load.locator("summary").click();
    assertThat(load.locator(".letter-list li")).hasCount(2);
    assertThat(load.locator(".letter-list li").first()).containsText("row 2:");
    assertThat(load.locator(".letter-list")).containsText("token ******");
    assertThat(load.locator("[data-copy-text]"))
        .hasText(java.util.regex.Pattern.compile("weir deadletters replay [0-9a-f]{16}"));

    // over maxRejected: open at once, and the fix is a retry, not a replay
    Locator events = page.locator("#task-events details.letters");
    assertThat(events).hasAttribute("open", "");
    assertThat(events.locator("summary")).containsText("over maxRejected");
    assertThat(events.locator("[data-copy-text]")).hasText("weir retry " + runId);
    assertThat(events.locator(".advice")).containsText("kept nothing");

    // the run's list of batches links each to its task; the API says which attempt failed
    assertThat(page.locator("table.dead-letters tbody tr")).hasCount(2);
    var api = server.get("/runs/" + runId + "/deadletters").json().get("deadLetters");
    for (var b : api) {
      org.assertj.core.api.Assertions.assertThat(b.get("attemptFailed").asBoolean())
          .as(b.get("task").asText())
          .isEqualTo(b.get("task").asText().equals("events"));
    }

    page.context().grantPermissions(java.util.List.of("clipboard-read", "clipboard-write"));
    load.getByRole(AriaRole.BUTTON).click();
    assertThat(load.locator(".copy-result")).hasText("Copied.");
    Object copied = page.evaluate("() => navigator.clipboard.readText()");
    org.assertj.core.api.Assertions.assertThat(String.valueOf(copied))
        .startsWith("weir deadletters replay ");

    assertThat(page.locator(".dag-view svg")).isVisible();
    browser.screenshotLightAndDark("run-dead-letters");
    browser.assertNeverReceived(UiHttpTest.CANARY);
  }
}
