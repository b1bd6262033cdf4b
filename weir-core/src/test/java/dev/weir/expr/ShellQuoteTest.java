package dev.weir.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code | shellQuote} makes any value one shell word: checked by running a real /bin/sh. */
class ShellQuoteTest {
  private static final Expressions EXPRESSIONS = new Expressions();
  private static final Expressions.Services SERVICES =
      new Expressions.Services(null, InstantSource.system());

  @TempDir Path dir;

  private static String render(String template, Object value) {
    return EXPRESSIONS.render(template, Map.of("trigger", Map.of("v", value)), SERVICES);
  }

  /** Runs {@code script} with /bin/sh in the temp dir; returns stdout. */
  private String sh(String script) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("/bin/sh", "-c", script)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$(touch pwned1) `touch pwned2`",
        "it's; touch pwned3 && echo 'x' \"y\"",
        "line1\nline2 $(touch pwned4)\n",
        "'; touch pwned5; echo '",
        "\\'$HOME\\ * ? [a] ~ # { } | & > out < in !",
        "",
        "--flag=-n -e"
      })
  void a_quoted_hostile_value_reaches_the_command_as_the_same_text_and_runs_nothing(String value)
      throws Exception {
    String script = render("printf '%s' {{ trigger.v | shellQuote }}", value);

    assertThat(sh(script)).isEqualTo(value);
    try (var files = Files.list(dir)) {
      assertThat(files).as("nothing was created").isEmpty();
    }
  }

  @Test
  void without_the_filter_the_same_value_runs_as_a_command() throws Exception {
    sh(render("echo \"name={{ trigger.v }}\"", "$(touch pwned1) `touch pwned2`"));

    assertThat(dir.resolve("pwned1")).exists();
    assertThat(dir.resolve("pwned2")).exists();
  }

  @Test
  void a_list_becomes_one_quoted_word_per_item_and_null_an_empty_word() throws Exception {
    List<Object> items = java.util.Arrays.asList("a b", "$(touch x)", null, 7);

    String script = render("printf '<%s>' {{ trigger.v | shellQuote }}", items);

    assertThat(script).isEqualTo("printf '<%s>' 'a b' '$(touch x)' '' '7'");
    assertThat(sh(script)).isEqualTo("<a b><$(touch x)><><7>");
    assertThat(
            EXPRESSIONS.render(
                "{{ none | shellQuote }}",
                java.util.Collections.singletonMap("none", null),
                SERVICES))
        .isEqualTo("''");
  }

  @Test
  void a_single_quote_is_closed_escaped_and_reopened() {
    assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
  }
}
