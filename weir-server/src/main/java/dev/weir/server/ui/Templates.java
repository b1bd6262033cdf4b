package dev.weir.server.ui;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The UI's Pebble templates ({@code dev/weir/server/ui/templates/*.peb}), HTML-escaped by default,
 * compiled once and cached. Filters for what every page shows: {@code iso} and {@code utc} for an
 * instant (the page's script shows it in the chosen time zone), {@code dur} for a duration.
 */
final class Templates {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private final PebbleEngine engine;

  Templates() {
    var loader = new ClasspathLoader(Templates.class.getClassLoader());
    loader.setPrefix("dev/weir/server/ui/templates/");
    loader.setSuffix(".peb");
    this.engine =
        new PebbleEngine.Builder()
            .loader(loader)
            .autoEscaping(true)
            .strictVariables(false)
            .newLineTrimming(true)
            .extension(new UiFilters())
            .build();
  }

  /** Renders template {@code name} with {@code model}. */
  String render(String name, Map<String, Object> model) {
    PebbleTemplate t = engine.getTemplate(name);
    var out = new StringWriter(8192);
    try {
      t.evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** "2 h 5 min", "3.4 s", "120 ms": short and exact enough to compare runs. */
  static String duration(Duration d) {
    if (d == null) {
      return "";
    }
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
  }

  static String utc(Instant t) {
    return t == null ? "" : UTC.format(t);
  }

  private static final class UiFilters extends AbstractExtension {
    @Override
    public Map<String, Filter> getFilters() {
      return Map.of(
          "iso", filter(v -> v instanceof Instant t ? t.toString() : ""),
          "utc", filter(v -> v instanceof Instant t ? utc(t) : ""),
          "dur", filter(v -> v instanceof Duration d ? duration(d) : ""));
    }

    private static Filter filter(java.util.function.Function<Object, String> f) {
      return new Filter() {
        @Override
        public List<String> getArgumentNames() {
          return List.of();
        }

        @Override
        public Object apply(
            Object input,
            Map<String, Object> args,
            PebbleTemplate self,
            EvaluationContext context,
            int lineNumber) {
          return f.apply(input);
        }
      };
    }
  }
}
