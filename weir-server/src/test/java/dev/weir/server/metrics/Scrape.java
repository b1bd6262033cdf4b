package dev.weir.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, enough to check Weir's output: every sample
 * belongs to a family declared by {@code # HELP} and {@code # TYPE} before it, names and labels are
 * well formed, values parse, and histogram buckets are cumulative up to {@code _count}. (The JVM's
 * metrics add summaries: only their {@code _count} and {@code _sum}.)
 */
final class Scrape {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"(,|$)");

  /** {@code GET /metrics} of a fixture's server with its token, asking for {@code accept}. */
  static ServerFixture.Response get(ServerFixture fx, String accept) {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.server.port() + "/metrics"))
            .header("Authorization", "Bearer " + ServerFixture.TOKEN)
            .GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    var answer = fx.send(request);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer;
  }

  /** A scrape of a fixture's server in the text format, checked. */
  static Scrape of(ServerFixture fx) {
    var answer = get(fx, null);
    assertThat(answer.headers().get("content-type"))
        .containsExactly("text/plain; version=0.0.4; charset=utf-8");
    return new Scrape(answer.body());
  }

  record Sample(String name, Map<String, String> labels, double value) {}

  final String text;
  final List<Sample> samples = new ArrayList<>();
  final Map<String, String> types = new HashMap<>();

  Scrape(String text) {
    this.text = text;
    assertThat(text).endsWith("\n");
    String family = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# HELP ")) {
        family = line.substring(7).split(" ", 2)[0];
        assertThat(family).matches(NAME);
        assertThat(types).as("family %s declared twice", family).doesNotContainKey(family);
      } else if (line.startsWith("# TYPE ")) {
        String[] p = line.substring(7).split(" ");
        assertThat(p).hasSize(2);
        assertThat(p[0]).isEqualTo(family);
        assertThat(p[1]).isIn("counter", "gauge", "histogram", "summary");
        types.put(p[0], p[1]);
      } else {
        Matcher m = SAMPLE.matcher(line);
        assertThat(m.matches()).as("sample line: %s", line).isTrue();
        String name = m.group(1);
        assertThat(family).as("family of %s", line).isNotNull();
        assertThat(name.equals(family) || name.startsWith(family + "_"))
            .as("%s follows its # TYPE", line)
            .isTrue();
        samples.add(new Sample(name, labels(m.group(3), line), value(m.group(4))));
      }
    }
    checkHistograms();
  }

  private static Map<String, String> labels(String text, String line) {
    var out = new LinkedHashMap<String, String>();
    if (text == null) {
      return out;
    }
    Matcher m = LABEL.matcher(text);
    int at = 0;
    while (at < text.length()) {
      assertThat(m.find(at) && m.start() == at).as("labels of %s", line).isTrue();
      String v = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
      assertThat(out.put(m.group(1), v)).as("label repeated in %s", line).isNull();
      at = m.end();
    }
    return out;
  }

  private static double value(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(v);
    };
  }

  private void checkHistograms() {
    types.forEach((family, type) -> {
      if (!type.equals("histogram")) {
        return;
      }
      var last = new HashMap<Map<String, String>, Double>();
      for (Sample s : samples) {
        if (s.name().equals(family + "_bucket")) {
          var key = new HashMap<>(s.labels());
          key.remove("le");
          Double before = last.put(key, s.value());
          assertThat(s.value()).isGreaterThanOrEqualTo(before == null ? 0 : before);
        } else if (s.name().equals(family + "_count")) {
          assertThat(last.get(s.labels())).as("+Inf bucket of %s", s).isEqualTo(s.value());
        }
      }
    });
  }

  /** The value of the one sample with this name and (at least) these labels; 0 when none. */
  double value(String name, String... labels) {
    var found = find(name, labels);
    assertThat(found.size()).as("samples of %s %s", name, List.of(labels)).isLessThanOrEqualTo(1);
    return found.isEmpty() ? 0 : found.get(0).value();
  }

  /**
   * The names of all samples ({@code weir_runs_total}, {@code weir_run_duration_seconds_bucket}…).
   */
  java.util.Set<String> sampleNames() {
    return samples.stream().map(Sample::name).collect(java.util.stream.Collectors.toSet());
  }

  List<Sample> find(String name, String... labels) {
    var want = new HashMap<String, String>();
    for (int i = 0; i < labels.length; i += 2) {
      want.put(labels[i], labels[i + 1]);
    }
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(want.entrySet()))
        .toList();
  }
}
