package dev.weir.server.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.nio.file.Path;
import java.util.List;

/**
 * One test's view of the browser: its own context (cookies, storage), its first page, and what the
 * harness recorded about them. Made and closed by {@link ChromiumExtension}; a test receives it as
 * a parameter.
 */
public final class BrowserSession implements AutoCloseable {
  /** Long enough for a loaded 2-core machine, short enough that a wrong selector fails quickly. */
  static final double DEFAULT_TIMEOUT_MS = 10_000;

  private final BrowserContext context;
  private final Page page;
  private final PageProblems problems = new PageProblems();
  private final ReceivedContent received = new ReceivedContent();
  private final Screenshots screenshots;

  BrowserSession(Browser browser, Class<?> testClass) {
    // UTC and en-US: times and numbers render the same on every machine.
    this.context =
        browser.newContext(
            new Browser.NewContextOptions()
                .setViewportSize(1280, 800)
                .setTimezoneId("UTC")
                .setLocale("en-US"));
    context.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
    // assertThat(locator) waits 5 s by default, which a loaded CI machine missed (a run that had
    // not reached its pool yet): the same bound as actions
    com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(
        DEFAULT_TIMEOUT_MS);
    problems.listenTo(context);
    received.listenTo(context);
    this.page = context.newPage();
    this.screenshots = new Screenshots(testClass);
  }

  /** The page the test starts with. */
  public Page page() {
    return page;
  }

  /** The browser context, for a second tab ({@code context().newPage()}) or cookies. */
  public BrowserContext context() {
    return context;
  }

  /** Saves a full-page screenshot of the first page as {@code <name>.png}. */
  public Path screenshot(String name) {
    return screenshot(page, name);
  }

  /** Saves a full-page screenshot of {@code page} as {@code <name>.png}. */
  public Path screenshot(Page page, String name) {
    return screenshots.take(page, name);
  }

  /** Saves {@code <name>-light.png} and {@code <name>-dark.png} of the first page. */
  public void screenshotLightAndDark(String name) {
    screenshots.takeLightAndDark(page, name);
  }

  /** Where this test class's screenshots go: {@code target/ui-screenshots/<TestClass>/}. */
  public Path screenshotDir() {
    return screenshots.dir();
  }

  /** Console errors, uncaught errors and failed or 4xx/5xx requests seen so far. */
  public List<String> problems() {
    return problems.all();
  }

  PageProblems pageProblems() {
    return problems;
  }

  /**
   * Every response body, SSE message and download the browser received in this test, and the
   * current DOM of each open page, as one text with a header line per item.
   */
  public String allText() {
    return ReceivedContent.allText(received());
  }

  /** The same as {@link #allText()}, item by item with where each came from. */
  public List<ReceivedContent.Item> received() {
    return received.items(context);
  }

  /**
   * Fails when {@code secret} is in any page, script, response, SSE message or download the browser
   * received in this test, naming where but not printing the secret.
   */
  public void assertNeverReceived(String secret) {
    received.assertNeverReceived(context, secret);
  }

  /**
   * Lets what the browser already sent (console messages, responses) reach the listeners: the Java
   * client handles events only while it waits for an answer, so ask each page for one.
   */
  void settle() {
    for (Page open : context.pages()) {
      try {
        open.evaluate("0");
      } catch (PlaywrightException e) {
        // closed or navigating; nothing more to learn from it
      }
    }
  }

  void keepFailure(String name) {
    List<Page> pages = context.pages();
    for (int i = 0; i < pages.size(); i++) {
      screenshots.keepFailure(pages.get(i), i == 0 ? name : name + "-page" + (i + 1));
    }
  }

  @Override
  public void close() {
    // Stop hearing about requests first: while a context closes, Playwright for Java can get the
    // event of a request that finished as its page closed after it disposed of the page, and throw
    // "Object doesn't exist: page@…" from close() (microsoft/playwright-java#1197). Unsubscribed,
    // the driver sends no such event. What the test saw is judged before this.
    problems.stopListening(context);
    received.stopListening(context);
    context.close();
  }
}
