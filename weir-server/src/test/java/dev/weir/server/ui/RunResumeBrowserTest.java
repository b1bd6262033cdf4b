package dev.weir.server.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.weir.server.OrphanRuns;
import dev.weir.server.ServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume on the run page: shown only for an orphaned run (RUNNING, executed by no process of this
 * server), asking for force, in so many words, when the recorded owner looks alive.
 */
@BrowserTest
class RunResumeBrowserTest {
  @TempDir static Path dir;
  static ServerFixture server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new ServerFixture(dir).start();
    server.writeFlow("two.yaml", OrphanRuns.TWO);
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

  @Test
  void an_orphaned_run_is_resumed_from_its_page_and_finishes(BrowserSession browser)
      throws Exception {
    Path marks = dir.resolve("marks-" + System.nanoTime());
    String orphan = OrphanRuns.make(server, marks, OrphanRuns.deadPid());
    Page page = browser.page();
    signIn(page, "/runs/" + orphan);
    assertThat(page.locator("[data-orphan]")).containsText("No process of this server");
    browser.screenshotLightAndDark("run-orphaned");
    var dialogs = new CopyOnWriteArrayList<String>();
    page.onDialog(d -> {
      dialogs.add(d.message());
      d.accept();
    });
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resume run")).click();
    assertThat(page.locator("[data-run-state]")).hasText("succeeded");
    assertThat(dialogs).singleElement().asString().contains("keeping its succeeded tasks");
    assertThat(Files.readAllLines(marks)).containsExactly("first", "second", "second");
    // an ended run offers no resume
    assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resume run")))
        .hasCount(0);
  }

  @Test
  void an_orphan_whose_owner_looks_alive_is_resumed_only_after_a_warning(BrowserSession browser)
      throws Exception {
    Process alive = new ProcessBuilder("sleep", "60").start();
    try {
      String orphan =
          OrphanRuns.make(server, dir.resolve("marks-" + System.nanoTime()), alive.pid());
      Page page = browser.page();
      signIn(page, "/runs/" + orphan);
      var dialogs = new CopyOnWriteArrayList<String>();
      page.onDialog(d -> {
        dialogs.add(d.message());
        d.accept();
      });
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resume run")).click();
      assertThat(page.locator("[data-run-state]")).hasText("succeeded");
      assertThat(dialogs)
          .singleElement()
          .asString()
          .contains(OrphanRuns.host() + ":" + alive.pid() + ", which looks alive");
    } finally {
      alive.destroy();
    }
  }
}
