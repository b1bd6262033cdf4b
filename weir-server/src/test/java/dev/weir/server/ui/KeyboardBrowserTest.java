package dev.weir.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.weir.server.ServerFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI with a keyboard only (Tab, Shift+Tab, Enter, Space; no mouse, no typed addresses after the
 * first): sign in, the runs list, a run, a task of its graph, the task's logs, back to the run,
 * retry it, dark mode and the time zone switch. Every element Tab reaches on the way must show a
 * focus style (an outline or a box shadow when it matches {@code :focus-visible}).
 */
@BrowserTest
class KeyboardBrowserTest {
  /** Tab presses to reach any one element: bounded, so a missing element fails fast. */
  static final int MAX_TABS = 80;

  @TempDir static Path dir;
  static ServerFixture server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new ServerFixture(dir).start();
    server.writeFlow("broken.yaml", BROKEN);
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

  @Test
  void sign_in_runs_a_run_its_logs_retry_and_the_switches_by_keyboard_with_visible_focus(
      BrowserSession browser) {
    String runId = server.post("/flows/ui/broken/runs", "{}").json().get("runId").asText();
    assertThat(server.awaitRun(runId).get("state").asText()).isEqualTo("FAILED");
    Page page = browser.page();
    page.onDialog(d -> d.accept()); // confirm() answered with the keyboard's Enter
    var keys = new Keys(page);

    page.navigate(url("/runs"));
    keys.tabTo("#token");
    page.keyboard().type(ServerFixture.TOKEN);
    page.keyboard().press("Enter");
    assertThat(page).hasURL(url("/runs"));

    // the skip link comes first and moves the focus to the content
    keys.tab(Keys.FORWARD);
    assertThat(page.locator("a.skip")).isFocused();
    page.keyboard().press("Enter");
    assertThat(page.locator("main#main")).isFocused();

    keys.tabTo("table.runs a[href='/runs/" + runId + "']");
    page.keyboard().press("Enter");
    assertThat(page).hasURL(url("/runs/" + runId));

    // a task of the graph is a button: Enter leads to its row
    keys.tabTo("svg.dag g[data-task='fails']");
    page.keyboard().press("Enter");
    assertThat(page).hasURL(url("/runs/" + runId + "#task-fails"));
    keys.tabTo("tr#task-fails a[href='/runs/" + runId + "/logs?task=fails']");
    page.keyboard().press("Enter");
    assertThat(page.locator("ol.log")).containsText("about to fail");

    // back to the run through the breadcrumb, walking backwards
    keys.tabTo(Keys.BACKWARD, "nav.crumbs a[href='/runs/" + runId + "']");
    page.keyboard().press("Enter");
    assertThat(page).hasURL(url("/runs/" + runId));

    keys.tabTo("button[data-api-post$='/retry']");
    var retried = new com.microsoft.playwright.Response[1];
    // the page reloads once the retry is accepted: wait for both before pressing on
    page.waitForNavigation(() ->
        retried[0] =
            page.waitForResponse(
                r -> r.url().endsWith("/runs/" + runId + "/retry"),
                () -> page.keyboard().press("Space")));
    assertThat(retried[0].status()).isEqualTo(202);
    assertThat(server.awaitRun(runId).get("attempt").asInt()).isEqualTo(2);

    keys.tabTo("[data-theme-toggle]");
    page.keyboard().press("Enter");
    assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
    keys.tabTo(Keys.BACKWARD, "[data-tz-toggle]"); // just before the theme switch
    page.keyboard().press("Space");
    assertThat(page.evaluate("localStorage.getItem('weir-tz')")).isEqualTo("local");
    page.keyboard().press("Space");
    assertThat(page.evaluate("localStorage.getItem('weir-tz')")).isEqualTo("utc");
    browser.screenshot("keyboard-dark-focus");

    assertThat(keys.visited).hasSizeGreaterThan(20);
    assertThat(keys.unstyled).as("focused without a visible focus style").isEmpty();
  }

  /**
   * Presses Tab (or Shift+Tab) and records each element that gets the focus, and those that show no
   * focus style.
   */
  static final class Keys {
    static final String FORWARD = "Tab";
    static final String BACKWARD = "Shift+Tab";

    // the focused element: what it is, whether it matches :focus-visible and its focus style
    private static final String FOCUSED =
        """
        (() => {
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          const s = getComputedStyle(e);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
          const shadow = s.boxShadow && s.boxShadow !== 'none';
          const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
            + ' "' + (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40) + '"';
          return { name, visible: e.matches(':focus-visible'), styled: outline || shadow };
        })()
        """;

    private final Page page;
    final List<String> visited = new ArrayList<>();
    final List<String> unstyled = new ArrayList<>();

    Keys(Page page) {
      this.page = page;
    }

    void tabTo(String selector) {
      tabTo(FORWARD, selector);
    }

    /** Presses the key until the element is focused, at most {@link #MAX_TABS} times. */
    void tabTo(String key, String selector) {
      var target = page.locator(selector).first();
      target.waitFor();
      for (int i = 0; i < MAX_TABS; i++) {
        if (isFocused(selector)) {
          return;
        }
        tab(key);
      }
      if (!isFocused(selector)) {
        throw new AssertionError(
            selector
                + " not reached with "
                + MAX_TABS
                + " presses of "
                + key
                + "; the last focused: "
                + visited.subList(Math.max(0, visited.size() - 5), visited.size()));
      }
    }

    void tab(String key) {
      page.keyboard().press(key);
      @SuppressWarnings("unchecked")
      var focused = (Map<String, Object>) page.evaluate(FOCUSED);
      if (focused == null) {
        return;
      }
      String name = (String) focused.get("name");
      visited.add(name);
      if (!Boolean.TRUE.equals(focused.get("visible"))
          || !Boolean.TRUE.equals(focused.get("styled"))) {
        unstyled.add(name + " (focus-visible: " + focused.get("visible") + ")");
      }
    }

    private boolean isFocused(String selector) {
      return (Boolean)
          page.evaluate(
              "s => { const e = document.querySelector(s);"
                  + " return e !== null && e === document.activeElement; }",
              selector);
    }
  }

  static final String BROKEN =
      """
      id: broken
      namespace: ui
      tasks:
        - id: fails
          type: shell
          command: echo "about to fail"; exit 3
      """;
}
