package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Without Chromium the browser tests are skipped, saying how to install it; they do not fail. */
class ChromiumSkipTest {
  static final String MESSAGE =
      "Chromium not found at /nonexistent/chromium: install it with `apt-get install -y chromium`"
          + " to run the browser tests (or fix WEIR_TEST_CHROMIUM / -Dweir.test.chromium)";

  @Test
  void a_missing_chromium_skips_the_class_with_one_line_saying_how_to_install_it() {
    String before = System.getProperty(ChromiumBinary.PROPERTY);
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    FixtureRun.Outcomes first;
    FixtureRun.Outcomes second;
    try {
      System.setProperty(ChromiumBinary.PROPERTY, "/nonexistent/chromium");
      System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
      first = FixtureRun.run(NeedsChromium.class);
      second = FixtureRun.run(NeedsChromium.class);
    } finally {
      System.setErr(err);
      if (before == null) {
        System.clearProperty(ChromiumBinary.PROPERTY);
      } else {
        System.setProperty(ChromiumBinary.PROPERTY, before);
      }
    }

    for (FixtureRun.Outcomes outcomes : new FixtureRun.Outcomes[] {first, second}) {
      assertThat(outcomes.skipped()).containsEntry("NeedsChromium", MESSAGE);
      assertThat(outcomes.finished()).doesNotContainKey("would_open_a_page");
      assertThat(outcomes.finished().values())
          .allSatisfy(r -> assertThat(r.getStatus().name()).isEqualTo("SUCCESSFUL"));
    }
    // once per JVM, however many classes are skipped
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .isEqualTo("[browser tests] SKIPPED: " + MESSAGE + System.lineSeparator());
  }

  @BrowserTest
  @EnabledIfSystemProperty(named = FixtureRun.PROPERTY, matches = "true")
  static class NeedsChromium {
    @Test
    void would_open_a_page(Page page) {
      page.navigate("about:blank");
    }
  }
}
