package dev.weir.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weir.WeirException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A template's output and time are bounded; passing either fails with the limit's name. */
class RenderLimitsTest {
  private static final Expressions.Services SERVICES =
      new Expressions.Services(null, InstantSource.system());
  private static final String LOOP = "{% for i in range(1, 100000000) %}x{% endfor %}";

  /** A ticker that moves 1 ms each time it is read: time passes only as rendering checks it. */
  private final AtomicLong nanos = new AtomicLong();

  private Expressions expressions(long maxBytes, Duration maxTime) {
    return new Expressions(new RenderLimits(maxBytes, maxTime), () -> nanos.addAndGet(1_000_000));
  }

  @Test
  void output_past_the_size_limit_fails_at_the_first_write_past_it() {
    var ex = expressions(1024, Duration.ofDays(1));
    long before = usedHeap();

    assertThatThrownBy(() -> ex.render(LOOP, Map.of(), SERVICES))
        .isInstanceOf(ExpressionException.class)
        .hasMessage(
            "the rendered value passed 1 KiB (limit WEIR_RENDER_MAX_BYTES); a loop or a large value"
                + " makes it this long: render less (pass big data as a file or a dataset), or"
                + " raise WEIR_RENDER_MAX_BYTES (e.g. 4MiB)")
        .extracting(e -> ((ExpressionException) e).kind())
        .isEqualTo(ExpressionException.Kind.LIMIT);
    // about 1025 ms of fake time: one check per item and one per write, stopped at 1 KiB
    assertThat(nanos.get()).isLessThan(3_000 * 1_000_000L);
    assertThat(usedHeap() - before).as("range(1, 1e8) is not built").isLessThan(64L << 20);
  }

  @Test
  void a_value_of_exactly_the_limit_renders() {
    var ex = expressions(1024, Duration.ofDays(1));

    assertThat(ex.render("{% for i in range(1, 1024) %}x{% endfor %}", Map.of(), SERVICES))
        .hasSize(1024);
    assertThat(ex.render("{% for i in range(1, 3) %}{{ i }}{% endfor %}", Map.of(), SERVICES))
        .isEqualTo("123");
    assertThat(ex.render("{{ range(5, 1, -2) }}", Map.of(), SERVICES)).isEqualTo("[5, 3, 1]");
    assertThat(ex.render("{{ range('a', 'c') | join }}", Map.of(), SERVICES)).isEqualTo("abc");
  }

  @Test
  void multibyte_text_counts_in_utf8_bytes() {
    var ex = expressions(10, Duration.ofDays(1));

    assertThat(ex.render("{{ v }}", Map.of("v", "ééééé"), SERVICES)).isEqualTo("ééééé");
    assertThatThrownBy(() -> ex.render("{{ v }}", Map.of("v", "éééééé"), SERVICES))
        .hasMessageStartingWith("the rendered value passed 10 bytes (limit WEIR_RENDER_MAX_BYTES)");
  }

  @Test
  void a_loop_past_the_time_limit_fails_even_when_it_writes_nothing() {
    var ex = expressions(1L << 20, Duration.ofMillis(200));

    assertThatThrownBy(() ->
            ex.render("{% for i in range(1, 100000000) %}{% endfor %}done", Map.of(), SERVICES))
        .isInstanceOf(ExpressionException.class)
        .hasMessage(
            "rendering took longer than 200ms (limit WEIR_RENDER_TIMEOUT); a loop in the template"
                + " runs too long: loop over fewer items, or raise WEIR_RENDER_TIMEOUT (e.g. 30s)");
    assertThat(nanos.get()).isLessThan(1_000 * 1_000_000L);
  }

  @Test
  void a_range_joined_into_one_string_stops_at_four_steps_per_byte_of_the_limit() {
    var ex = expressions(100, Duration.ofDays(1));

    assertThatThrownBy(
            () -> ex.render("{{ range(1, 100000000) | join(',') | length }}", Map.of(), SERVICES))
        .hasMessage(
            "range() went past 400 steps (4 per byte of WEIR_RENDER_MAX_BYTES); loop over fewer"
                + " items, or raise WEIR_RENDER_MAX_BYTES");
  }

  @Test
  void a_string_doubled_with_tilde_in_a_loop_stops_at_the_size_limit() {
    var ex = expressions(1024, Duration.ofDays(1));
    String doubling =
        "{% set s = 'x' %}{% for i in range(1, 40) %}{% set s = s ~ s %}{% endfor %}{{ s | length }}";

    assertThatThrownBy(() -> ex.render(doubling, Map.of(), SERVICES))
        .hasMessageStartingWith("the rendered value passed 1 KiB (limit WEIR_RENDER_MAX_BYTES)");
    assertThat(ex.render("{{ 'a' ~ 1 ~ 'b' }}", Map.of(), SERVICES)).isEqualTo("a1b");
  }

  @Test
  void a_tree_names_the_property_that_passed_the_limit() {
    var ex = expressions(1024, Duration.ofDays(1));
    var props = JsonNodeFactory.instance.objectNode();
    props.put("level", "info");
    props.put("message", LOOP);

    assertThatThrownBy(() -> ex.renderTree(props, Map.of(), SERVICES, "tasks[2]"))
        .hasMessageStartingWith(
            "tasks[2].message: the rendered value passed 1 KiB (limit WEIR_RENDER_MAX_BYTES);");
  }

  @Test
  void limits_come_from_the_environment_with_defaults_and_clear_errors() {
    assertThat(RenderLimits.fromEnvironment(Map.of())).isEqualTo(RenderLimits.DEFAULT);
    assertThat(RenderLimits.DEFAULT).isEqualTo(new RenderLimits(1_048_576, Duration.ofSeconds(5)));
    assertThat(
            RenderLimits.fromEnvironment(
                Map.of("WEIR_RENDER_MAX_BYTES", "4MiB", "WEIR_RENDER_TIMEOUT", "30s")))
        .isEqualTo(new RenderLimits(4L << 20, Duration.ofSeconds(30)));
    assertThat(RenderLimits.fromEnvironment(Map.of("WEIR_RENDER_MAX_BYTES", "2048")).maxBytes())
        .isEqualTo(2048);
    assertThatThrownBy(() -> RenderLimits.fromEnvironment(Map.of("WEIR_RENDER_MAX_BYTES", "lots")))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            "WEIR_RENDER_MAX_BYTES must be a positive size like 1048576, 512KiB or 4MiB; got"
                + " 'lots'");
    assertThatThrownBy(() -> RenderLimits.fromEnvironment(Map.of("WEIR_RENDER_TIMEOUT", "soon")))
        .hasMessage(
            "WEIR_RENDER_TIMEOUT: 'soon' is not a duration; write it like 30s, 5m, 2h, 1d or PT5M");
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
