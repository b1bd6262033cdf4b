package dev.weir.server.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, with the label names its matchers use: enough of
 * PromQL to check a dashboard against what a server serves. Strings, ranges ({@code [5m]}),
 * grouping clauses ({@code by (le)}), numbers, durations and Grafana variables are skipped; a name
 * followed by {@code (} is a function, and aggregation operators and keywords are not metrics.
 */
final class PromQlNames {
  record Selector(String metric, Set<String> labels) {}

  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan",
          "atan2",
          "start",
          "end");
  // may come before their "by (...)" clause, so not always followed by "("
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern TOKEN =
      Pattern.compile(
          "(?<matchers>\\{[^}]*})"
              + "|(?<range>\\[[^]]*])"
              + "|(?<grouping>\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\))"
              + "|(?<variable>\\$\\{[^}]*}|\\$\\w+)"
              + "|(?<number>\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?[a-zA-Z]*)"
              + "|(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)");
  private static final Pattern LABEL_MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");

  private PromQlNames() {}

  /** The selectors of an expression, in order. */
  static List<Selector> selectors(String expr) {
    String e = STRING.matcher(expr).replaceAll("\"\"");
    var out = new ArrayList<Selector>();
    Matcher m = TOKEN.matcher(e);
    int at = 0;
    String lastName = null; // a metric name a matcher block right after it belongs to
    while (at < e.length() && m.find(at)) {
      if (m.group("matchers") != null) {
        var labels = new LinkedHashSet<String>();
        Matcher l = LABEL_MATCHER.matcher(m.group("matchers"));
        while (l.find()) {
          labels.add(l.group(1));
        }
        if (lastName != null && e.substring(m.start() - gap(e, m.start()), m.start()).isBlank()) {
          out.set(out.size() - 1, new Selector(lastName, labels));
        }
        // a bare {…} selector (no name before it) names its metric by __name__: not used here
      } else if (m.group("name") != null) {
        String name = m.group("name");
        String rest = e.substring(m.end()).stripLeading();
        boolean call = rest.startsWith("(");
        boolean aggregation =
            AGGREGATIONS.contains(name)
                && (call || rest.startsWith("by") || rest.startsWith("without"));
        if (!call && !aggregation && !KEYWORDS.contains(name)) {
          out.add(new Selector(name, Set.of()));
          lastName = name;
          at = m.end();
          continue;
        }
      }
      lastName = null;
      at = m.end();
    }
    return out;
  }

  private static int gap(String e, int end) {
    int i = end;
    while (i > 0 && Character.isWhitespace(e.charAt(i - 1))) {
      i--;
    }
    return end - i;
  }
}
