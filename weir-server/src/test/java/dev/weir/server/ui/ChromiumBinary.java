package dev.weir.server.ui;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the browser tests find Chromium. They drive the system's Chromium (Debian's package) rather
 * than one Playwright downloads, because the build machines have no internet; {@code .ci/run}
 * installs the package so that CI always runs them.
 */
final class ChromiumBinary {
  static final String DEFAULT = "/usr/bin/chromium";

  /** Overrides the path, for a Chromium elsewhere or to check the skip ({@code /nonexistent}). */
  static final String ENV = "WEIR_TEST_CHROMIUM";

  /** The same override as a system property; it wins over the environment variable. */
  static final String PROPERTY = "weir.test.chromium";

  private ChromiumBinary() {}

  /** Read at each call, not once, so that a test can point it elsewhere for a while. */
  static Path path() {
    String configured = System.getProperty(PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(ENV);
    }
    return Path.of(configured == null || configured.isBlank() ? DEFAULT : configured);
  }

  static boolean available() {
    Path path = path();
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }

  /** The one line a developer sees when the browser tests are skipped. */
  static String missingMessage() {
    return "Chromium not found at "
        + path()
        + ": install it with `apt-get install -y chromium` to run the browser tests"
        + (path().toString().equals(DEFAULT) ? "" : " (or fix " + ENV + " / -D" + PROPERTY + ")");
  }
}
