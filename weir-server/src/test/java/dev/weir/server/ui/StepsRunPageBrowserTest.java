package dev.weir.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.weir.server.ServerFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps an attempt recorded (the models of a sql.models task) are task runs of the run: the API
 * lists them with their parent, the run page shows them right under their task.
 */
@BrowserTest
class StepsRunPageBrowserTest {
  @TempDir static Path dir;
  static ServerFixture server;

  @BeforeAll
  static void startServer() throws Exception {
    server = StepsFlow.serve(dir);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void the_run_page_shows_each_step_under_its_task(BrowserSession browser) {
    StepsFlow.Run run = StepsFlow.run(server);
    var byId = run.tasks();
    org.assertj.core.api.Assertions.assertThat(byId.get("m/broken").path("parent").asText())
        .isEqualTo("m");
    org.assertj.core.api.Assertions.assertThat(byId.get("m").has("parent")).isFalse();

    Page page = browser.page();
    String url = "http://127.0.0.1:" + server.server.port() + "/runs/" + run.id();
    page.navigate(url);
    page.getByLabel("API token").fill(ServerFixture.TOKEN);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page).hasURL(url);
    List<String> rows =
        page.locator("tr[id^=task-]").evaluateAll("rs => rs.map(r => r.id)") instanceof List<?> l
            ? l.stream().map(String::valueOf).toList()
            : List.of();
    int m = rows.indexOf("task-m");
    org.assertj.core.api.Assertions.assertThat(rows.subList(m + 1, m + 5))
        .as(rows.toString())
        .containsExactlyInAnyOrder(
            "task-m/load_orders", "task-m/load_customers", "task-m/broken", "task-m/after_broken");
    org.assertj.core.api.Assertions.assertThat(rows.get(m + 5)).isEqualTo("task-publish");
    assertThat(page.locator("tr.step")).hasCount(4);
    browser.screenshotLightAndDark("run-steps");
  }
}
