package dev.weir.server.ui;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Screenshots kept as build artifacts under {@code target/ui-screenshots/<TestClass>/}: the named
 * ones a test takes (light and dark, for review and for docs/ui.md) and, when a test fails, a
 * screenshot and the HTML of each page it had open.
 */
final class Screenshots {
  private final Path dir;

  Screenshots(Class<?> testClass) {
    String name = testClass.getName().substring(testClass.getPackageName().length());
    this.dir = root().resolve(name.startsWith(".") ? name.substring(1) : name);
  }

  /**
   * {@code target/} of the module whose test classes are running, found from where this class was
   * loaded so that the path is right whatever the working directory (Maven, an IDE).
   */
  static Path root() {
    try {
      Path classes =
          Path.of(Screenshots.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(classes) && classes.getParent() != null) {
        return classes.getParent().resolve("ui-screenshots");
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // fall back to the working directory, which Maven sets to the module
    }
    return Path.of("target", "ui-screenshots").toAbsolutePath();
  }

  Path dir() {
    return dir;
  }

  /** A full-page screenshot at {@code <name>.png}; returns its path. */
  Path take(Page page, String name) {
    Path file = dir.resolve(fileName(name) + ".png");
    page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
    return file;
  }

  /**
   * {@code <name>-light.png} and {@code <name>-dark.png}, through {@code prefers-color-scheme}; the
   * page is left in light mode.
   */
  void takeLightAndDark(Page page, String name) {
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
    take(page, name + "-light");
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
    take(page, name + "-dark");
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
  }

  /** What the page looked like when the test failed: {@code <name>.png} and {@code <name>.html}. */
  void keepFailure(Page page, String name) {
    if (page.isClosed()) {
      return;
    }
    try {
      take(page, name);
    } catch (RuntimeException e) {
      System.err.println("[browser tests] no failure screenshot for " + name + ": " + e);
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve(fileName(name) + ".html"), page.content(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      System.err.println("[browser tests] no failure HTML for " + name + ": " + e);
    }
  }

  /** Keeps names portable and inside {@link #dir}: no separators, no "..". */
  static String fileName(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "");
    if (safe.isEmpty()) {
      throw new IllegalArgumentException("screenshot name '" + name + "' has no usable character");
    }
    return safe;
  }
}
