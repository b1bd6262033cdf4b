package dev.weir.server.metrics;

import dev.weir.expr.Masker;
import java.util.List;

/**
 * Writes the Prometheus text exposition format 0.0.4: {@code # HELP} and {@code # TYPE} once per
 * metric, then its samples. Label values are escaped ({@code \\}, {@code "}, newline) and masked: a
 * label holds names from flows and config, but a secret must not show even if one got there.
 */
final class PromText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(8192);
  private final Masker masker;

  PromText(Masker masker) {
    this.masker = masker;
  }

  PromText header(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  PromText sample(String name, List<String> labels, List<String> values, double value) {
    return sample(name, labels, values, null, null, value);
  }

  /** A sample with one more label after the family's own ({@code le} of a histogram bucket). */
  PromText sample(
      String name,
      List<String> labels,
      List<String> values,
      String extraLabel,
      String extraValue,
      double value) {
    out.append(name);
    if (!labels.isEmpty() || extraLabel != null) {
      out.append('{');
      for (int i = 0; i < labels.size(); i++) {
        label(i > 0, labels.get(i), masker.mask(values.get(i)));
      }
      if (extraLabel != null) {
        label(!labels.isEmpty(), extraLabel, extraValue);
      }
      out.append('}');
    }
    out.append(' ').append(number(value)).append('\n');
    return this;
  }

  private void label(boolean comma, String name, String value) {
    if (comma) {
      out.append(',');
    }
    out.append(name).append("=\"").append(escapeValue(value)).append('"');
  }

  static String escapeValue(String v) {
    if (v == null) {
      return "";
    }
    var sb = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String escapeHelp(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n");
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
