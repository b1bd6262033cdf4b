package dev.weir.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.weir.server.ServerFixture;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose sensor waits: the run page shows the task WAITING and when it checks next. */
@BrowserTest
class SensorRunPageBrowserTest {
  @TempDir static Path dir;
  static ServerFixture server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new ServerFixture(dir).start();
    server.writeFlow(
        "arrivals.yaml",
        """
        id: arrivals
        namespace: shop
        tasks:
          - {id: extract, type: log, message: extracting}
          - id: wait_for_orders
            type: wait.file
            path: incoming/orders.csv
            interval: 1h
            timeout: 6h
          - {id: load, type: log, message: loading}
        """);
    server.server.watcher().scan();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void the_run_page_shows_a_waiting_sensor_and_its_next_check(BrowserSession browser) {
    String runId = server.post("/flows/shop/arrivals/runs", "{}").json().path("runId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() ->
            server.get("/runs/" + runId).json().path("tasks").toString().contains("\"WAITING\""));
    Page page = browser.page();
    String url = "http://127.0.0.1:" + server.server.port() + "/runs/" + runId;
    page.navigate(url);
    page.getByLabel("API token").fill(ServerFixture.TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page).hasURL(url);
    assertThat(page.locator("body")).containsText("sensor waiting, next check at");
    assertThat(page.locator(".state-waiting").first()).isVisible();
    browser.screenshotLightAndDark("run-sensor-waiting");
  }
}
