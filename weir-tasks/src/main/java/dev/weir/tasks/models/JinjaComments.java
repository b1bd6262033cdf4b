package dev.weir.tasks.models;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes {@code {# comments #}} before Jinjava sees a template, the way Jinja2 treats them.
 * Jinjava trims on both sides of {@code {#- … #}}, not on the other side of {@code {# … -#}}, and
 * drops a comment so that a following {@code {%-} also eats the newline before the comment. Each
 * comment becomes {@code {{ '' }}}, an empty expression that keeps the text around it apart,
 * holding the comment's newlines so that error lines stay right.
 */
final class JinjaComments {
  private static final Pattern COMMENT = Pattern.compile("\\{#(-?)(.*?)(-?)#}", Pattern.DOTALL);

  private JinjaComments() {}

  static String strip(String text) {
    if (!text.contains("{#")) {
      return text;
    }
    Matcher m = COMMENT.matcher(text);
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (m.find(at)) {
      out.append(text, at, m.start());
      int newlines = count(m.group(2));
      if (!m.group(1).isEmpty()) {
        int keep = out.length();
        while (keep > 0 && Character.isWhitespace(out.charAt(keep - 1))) {
          keep--;
        }
        newlines += count(out.substring(keep));
        out.setLength(keep);
      }
      int end = m.end();
      if (!m.group(3).isEmpty()) {
        int skip = end;
        while (skip < text.length() && Character.isWhitespace(text.charAt(skip))) {
          skip++;
        }
        newlines += count(text.substring(end, skip));
        end = skip;
      }
      out.append("{{ ''").append("\n".repeat(newlines)).append(" }}");
      at = end;
    }
    return out.append(text.substring(at)).toString();
  }

  private static int count(String s) {
    return (int) s.chars().filter(c -> c == '\n').count();
  }
}
