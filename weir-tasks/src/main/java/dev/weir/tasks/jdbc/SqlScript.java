package dev.weir.tasks.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * A script of SQL statements split at the semicolons that end them: not those inside quotes ({@code
 * '…'}, {@code "…"}, MySQL's {@code `…`}), PostgreSQL dollar quotes ({@code $$…$$}, {@code
 * $body$…$body$}) or comments ({@code -- …}, {@code /* … *&#47;}). Nothing else is understood: a
 * statement is passed to the database as written.
 *
 * <p>Written here rather than taken from a SQL parser because splitting must work for every dialect
 * Weir talks to (DuckDB, PostgreSQL, MariaDB, SQLite, H2), including statements a parser does not
 * know; only the lexical rules above decide where a statement ends.
 */
final class SqlScript {
  /**
   * One statement of the script.
   *
   * @param number its position, from 1
   * @param line the script line it starts on, from 1
   * @param sql its text, without the ending semicolon and surrounding blank space
   */
  record Statement(int number, int line, String sql) {
    /** Its first line, shortened: how an error names it. */
    String firstLine() {
      String first = sql.lines().findFirst().orElse("").strip();
      return first.length() > 80 ? first.substring(0, 77) + "..." : first;
    }
  }

  private SqlScript() {}

  /**
   * The statements of {@code script}; empty ones (a stray {@code ;}, only comments) are dropped.
   *
   * @param backslashEscapes whether a backslash escapes the next character in quotes (MySQL)
   */
  static List<Statement> split(String script, boolean backslashEscapes) {
    var out = new ArrayList<Statement>();
    int n = script.length();
    int start = 0;
    int line = 1;
    int startLine = 1;
    int i = 0;
    while (i < n) {
      char c = script.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = quoted(script, i, c, backslashEscapes);
        line += count(script, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        line += count(script, i, end);
        i = end;
      } else if (c == '$' && dollarTag(script, i) != null) {
        String tag = dollarTag(script, i);
        int close = script.indexOf(tag, i + tag.length());
        int end = close < 0 ? n : close + tag.length();
        line += count(script, i, end);
        i = end;
      } else if (c == ';') {
        add(out, script.substring(start, i), startLine);
        i++;
        start = i;
        startLine = line;
      } else {
        i++;
      }
    }
    add(out, script.substring(start), startLine);
    return out;
  }

  private static void add(List<Statement> out, String text, int line) {
    // the statement starts at its first character that is neither blank space nor a comment
    int lead = 0;
    int n = text.length();
    while (lead < n) {
      char c = text.charAt(lead);
      if (Character.isWhitespace(c)) {
        lead++;
      } else if (text.startsWith("--", lead)) {
        int end = text.indexOf('\n', lead);
        lead = end < 0 ? n : end;
      } else if (text.startsWith("/*", lead)) {
        int end = text.indexOf("*/", lead + 2);
        lead = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    line += count(text, 0, lead);
    String sql = text.substring(lead).strip();
    if (!sql.isEmpty()) {
      out.add(new Statement(out.size() + 1, line, sql));
    }
  }

  /** The index just past the quote that closes the one at {@code open}. */
  private static int quoted(String s, int open, char quote, boolean backslashEscapes) {
    int i = open + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (backslashEscapes && c == '\\' && quote != '`') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
          i += 2; // a doubled quote stands for itself
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return s.length();
  }

  /** The dollar-quote tag ({@code $$}, {@code $fn$}) that starts at {@code i}, or null. */
  private static String dollarTag(String s, int i) {
    if (i > 0 && (Character.isLetterOrDigit(s.charAt(i - 1)) || s.charAt(i - 1) == '_')) {
      return null; // part of a name such as a$b
    }
    int j = i + 1;
    while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
      j++;
    }
    if (j < s.length() && s.charAt(j) == '$') {
      String tag = s.substring(i, j + 1);
      // $1 is a positional parameter, not a tag
      return tag.length() > 2 && Character.isDigit(tag.charAt(1)) ? null : tag;
    }
    return null;
  }

  private static int count(String s, int from, int to) {
    int lines = 0;
    for (int k = from; k < Math.min(to, s.length()); k++) {
      if (s.charAt(k) == '\n') {
        lines++;
      }
    }
    return lines;
  }
}
