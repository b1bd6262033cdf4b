package dev.weir.server.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One Playwright driver and one Chromium for the whole test JVM. Starting them costs about a second
 * (the driver's Node.js is unpacked from its jar to {@code java.io.tmpdir} once per JVM, then Node
 * and Chromium start), while a fresh {@code BrowserContext} per test costs milliseconds and
 * isolates cookies and storage just as well.
 *
 * <p>Closed by a shutdown hook rather than by JUnit's root store: a test that runs other test
 * classes through the JUnit launcher in the same JVM (the harness's own tests do) would otherwise
 * close the browser under the outer run. Playwright objects are not thread-safe; {@link
 * BrowserTest} takes a resource lock so that browser tests never run in parallel.
 */
final class SharedBrowser {
  static final List<String> ARGS =
      List.of(
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run");

  private static Browser browser;
  private static RuntimeException launchFailure;

  private SharedBrowser() {}

  /** Starts Playwright and Chromium at the first call; later calls reuse them. */
  static synchronized Browser get() {
    if (launchFailure != null) {
      throw new IllegalStateException(
          "Chromium failed to start earlier in this JVM: " + launchFailure.getMessage(),
          launchFailure);
    }
    if (browser == null || !browser.isConnected()) {
      try {
        browser = launch(ChromiumBinary.path());
      } catch (RuntimeException e) {
        launchFailure = e;
        throw e;
      }
    }
    return browser;
  }

  private static Browser launch(Path executable) {
    // The driver unpacks ~100 MB (Node.js and its scripts) per JVM and deletes it at exit; Maven
    // points java.io.tmpdir at target/tmp, so a killed JVM leaves it where `mvn clean` finds it.
    if (System.getProperty("playwright.driver.tmpdir") == null) {
      System.setProperty("playwright.driver.tmpdir", System.getProperty("java.io.tmpdir"));
    }
    long start = System.nanoTime();
    // PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: the driver would otherwise try to download its own
    // browsers at start, which fails (slowly) without internet.
    Playwright playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    long driverStarted = System.nanoTime();
    Browser launched;
    try {
      launched =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(executable)
                      .setHeadless(true)
                      .setArgs(ARGS));
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
    long end = System.nanoTime();
    Runtime.getRuntime().addShutdownHook(new Thread(playwright::close, "playwright-close"));
    System.err.printf(
        "[browser tests] Chromium %s (%s) through Playwright %s started in %d ms: driver %d ms,"
            + " browser %d ms%n",
        launched.version(),
        executable,
        playwrightVersion(),
        (end - start) / 1_000_000,
        (driverStarted - start) / 1_000_000,
        (end - driverStarted) / 1_000_000);
    return launched;
  }

  private static String playwrightVersion() {
    String version = Playwright.class.getPackage().getImplementationVersion();
    return version == null ? "(version unknown)" : version;
  }
}
