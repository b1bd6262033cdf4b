package dev.weir.tasks.models;

import java.util.List;
import java.util.Locale;

/**
 * Inlines ephemeral models into the SQL that refs them, as dbt does: {@code with __dbt__cte__name
 * as (…)} put before the query, or added to the query's own {@code WITH} (after {@code RECURSIVE}).
 */
final class EphemeralCtes {
  /** One ephemeral model's CTE: its name and compiled SQL. */
  record Cte(String model, String sql) {
    String render() {
      return " __dbt__cte__" + model + " as (\n" + sql + "\n)";
    }
  }

  private EphemeralCtes() {}

  static String inject(String sql, List<Cte> ctes) {
    if (ctes.isEmpty()) {
      return sql;
    }
    String joined = String.join(", ", ctes.stream().map(Cte::render).toList());
    int first = skipBlank(sql, 0, true);
    if (startsWithWord(sql, first, "with")) {
      int after = first + 4;
      int next = skipBlank(sql, after, true);
      if (startsWithWord(sql, next, "recursive")) {
        after = next + "recursive".length();
      }
      return sql.substring(0, after) + joined + "," + sql.substring(after);
    }
    int at = skipBlank(sql, 0, false);
    return sql.substring(0, at) + "with" + joined + sql.substring(at);
  }

  /** The offset of the first character that is not whitespace (nor a comment, if asked). */
  private static int skipBlank(String sql, int from, boolean comments) {
    int i = from;
    while (i < sql.length()) {
      if (Character.isWhitespace(sql.charAt(i))) {
        i++;
      } else if (comments && sql.startsWith("--", i)) {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? sql.length() : nl + 1;
      } else if (comments && sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 2;
      } else {
        break;
      }
    }
    return i;
  }

  private static boolean startsWithWord(String sql, int at, String word) {
    if (at + word.length() > sql.length()) {
      return false;
    }
    String w = sql.substring(at, at + word.length()).toLowerCase(Locale.ROOT);
    return w.equals(word)
        && (at + word.length() == sql.length()
            || !Character.isLetterOrDigit(sql.charAt(at + word.length())));
  }
}
