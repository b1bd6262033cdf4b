package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The browser-test harness against a real HTTP server and the system's Chromium. */
@BrowserTest
class BrowserHarnessTest {
  static final String CANARY = "canary-7f3a9c1e5b";
  static HarnessSite site;

  @BeforeAll
  static void startSite() {
    site = new HarnessSite("hello from the server, " + CANARY);
  }

  @AfterAll
  static void stopSite() {
    site.close();
  }

  @Test
  void a_module_script_changes_the_dom_and_a_click_posts_with_fetch(BrowserSession browser)
      throws IOException {
    Page page = browser.page();
    page.navigate(site.url("/"));
    PlaywrightAssertions.assertThat(page.locator("#status")).hasText("ready");

    int before = site.clicks();
    page.locator("#go").click();
    PlaywrightAssertions.assertThat(page.locator("#clicks")).hasText("clicks: " + (before + 1));
    assertThat(site.clicks()).isEqualTo(before + 1);

    browser.screenshotLightAndDark("home");
    Path light = browser.screenshotDir().resolve("home-light.png");
    Path dark = browser.screenshotDir().resolve("home-dark.png");
    assertThat(light).exists();
    assertThat(dark).exists();
    byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
    assertThat(Files.readAllBytes(light)).startsWith(png);
    assertThat(Files.readAllBytes(dark)).startsWith(png).isNotEqualTo(Files.readAllBytes(light));
    assertThat(browser.problems()).isEmpty();
  }

  @Test
  void a_test_may_take_a_plain_page(Page page) {
    page.navigate(site.url("/"));
    PlaywrightAssertions.assertThat(page).hasTitle("Harness");
  }

  @Test
  void every_response_and_sse_message_is_searched_for_a_secret(BrowserSession browser) {
    Page page = browser.page();
    page.navigate(site.url("/?sse"));
    PlaywrightAssertions.assertThat(page.locator("#event")).containsText(CANARY);

    assertThat(browser.allText())
        .contains("=== GET " + site.url("/app.js"))
        .contains("document.getElementById('status').textContent = 'ready'")
        .contains("=== SSE message 'greeting' on " + site.url("/events"))
        .contains(CANARY);
    browser.assertNeverReceived("a-secret-nobody-sent");
    assertThatThrownBy(() -> browser.assertNeverReceived(CANARY))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("SSE message 'greeting' on " + site.url("/events"))
        .hasMessageContaining("current DOM of " + site.url("/?sse"))
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void a_download_is_searched_for_a_secret_too(BrowserSession browser) {
    Page page = browser.page();
    page.navigate(site.url("/"));
    page.waitForDownload(() -> page.locator("#download").click()).path();

    assertThatThrownBy(() -> browser.assertNeverReceived(CANARY))
        .hasMessageContaining("download " + site.url("/download"))
        .hasMessageNotContaining("current DOM");
  }

  @Test
  void the_secret_check_proves_nothing_before_a_page_loaded_and_says_so(BrowserSession browser) {
    assertThatThrownBy(() -> browser.assertNeverReceived(CANARY))
        .hasMessageContaining("the browser received nothing yet");
  }

  @Test
  @AllowConsoleErrors
  void a_test_may_allow_the_errors_it_provokes_and_read_them(BrowserSession browser) {
    Page page = browser.page();
    page.waitForResponse(
        response -> response.url().endsWith("/no-such-thing"),
        () -> page.navigate(site.url("/?noisy&missing")));

    assertThat(browser.problems())
        .anySatisfy(p -> assertThat(p).startsWith("console.error: something broke in the page"))
        .contains("HTTP 404: GET " + site.url("/no-such-thing"));
  }

  @Test
  void console_errors_and_failed_requests_fail_a_test_and_keep_a_screenshot_and_the_html()
      throws IOException {
    Path dir = Screenshots.root().resolve("BrowserHarnessTest$Fixtures");
    deleteRecursively(dir);

    FixtureRun.Outcomes outcomes = FixtureRun.run(Fixtures.class);

    assertThat(outcomes.failure("logs_a_console_error"))
        .hasMessageContaining("1 problem(s) in the page")
        .hasMessageContaining("console.error: something broke in the page");
    assertThat(dir.resolve("logs_a_console_error.png")).exists();
    assertThat(dir.resolve("logs_a_console_error.html")).content().contains("ready");

    assertThat(outcomes.failure("fetches_a_missing_path"))
        .hasMessageContaining("HTTP 404: GET " + site.url("/no-such-thing"));

    assertThat(outcomes.failure("allows_the_404_but_not_the_console_error"))
        .hasMessageContaining("console.error: something broke")
        .hasMessageNotContaining("HTTP 404");

    assertThat(outcomes.failure("fails_an_assertion")).hasMessage("failed on purpose");
    assertThat(dir.resolve("fails_an_assertion.png")).exists();
    assertThat(dir.resolve("fails_an_assertion.html")).content().contains("clicks: ");

    assertThat(outcomes.test("passes").getStatus().name()).isEqualTo("SUCCESSFUL");
    assertThat(dir.resolve("passes.png")).doesNotExist();
  }

  @Nested
  class OpenedInBeforeEach {
    @BeforeEach
    void open(BrowserSession browser) {
      browser.page().navigate(site.url("/"));
    }

    @Test
    void the_test_gets_the_page_its_before_each_opened(Page page) {
      PlaywrightAssertions.assertThat(page.locator("#status")).hasText("ready");
    }
  }

  /** Run only by the test above, through the JUnit launcher. */
  @BrowserTest
  @EnabledIfSystemProperty(named = FixtureRun.PROPERTY, matches = "true")
  static class Fixtures {
    @Test
    void logs_a_console_error(Page page) {
      page.navigate(site.url("/?noisy"));
      PlaywrightAssertions.assertThat(page.locator("#status")).hasText("ready");
    }

    @Test
    void fetches_a_missing_path(Page page) {
      page.waitForResponse(
          response -> response.url().endsWith("/no-such-thing"),
          () -> page.navigate(site.url("/?missing")));
    }

    @Test
    @AllowConsoleErrors("HTTP 404")
    void allows_the_404_but_not_the_console_error(Page page) {
      page.waitForResponse(
          response -> response.url().endsWith("/no-such-thing"),
          () -> page.navigate(site.url("/?noisy&missing")));
    }

    @Test
    void fails_an_assertion(Page page) {
      page.navigate(site.url("/"));
      page.locator("#go").click();
      PlaywrightAssertions.assertThat(page.locator("#clicks")).containsText("clicks: ");
      throw new AssertionError("failed on purpose");
    }

    @Test
    void passes(Page page) {
      page.navigate(site.url("/"));
      PlaywrightAssertions.assertThat(page.locator("#status")).hasText("ready");
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
