package dev.weir.tasks.models;

import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a database error while building a model into a message naming the model's file and line and
 * showing the compiled SQL around the error: PostgreSQL gives a character position, DuckDB a {@code
 * LINE n:} in its message. The line in the model file is the compiled line's text found in the
 * file; when Jinja changed it, the compiled SQL's line is given.
 */
final class SqlFailure {
  private static final Pattern DUCKDB_LINE = Pattern.compile("LINE (\\d+):");

  private SqlFailure() {}

  static String describe(
      ModelFile model, String sql, String statement, int prefixLines, SQLException e) {
    String msg = String.valueOf(e.getMessage()).strip();
    int line = statementLine(statement, e, msg) - prefixLines;
    List<String> lines = sql.lines().toList();
    if (line < 1 || line > lines.size()) {
      return model.path() + ": " + firstLine(msg);
    }
    int fileLine = fileLine(model.sql(), lines.get(line - 1));
    var out = new StringBuilder();
    out.append(model.path())
        .append(':')
        .append(fileLine > 0 ? fileLine : line)
        .append(": ")
        .append(firstLine(msg))
        .append(fileLine > 0 ? "" : " (line " + line + " of the compiled SQL)")
        .append("\ncompiled SQL:\n");
    for (int i = Math.max(1, line - 2); i <= Math.min(lines.size(), line + 2); i++) {
      out.append(i == line ? "> " : "  ")
          .append(String.format("%4d | ", i))
          .append(lines.get(i - 1))
          .append('\n');
    }
    return out.toString().stripTrailing();
  }

  private static int statementLine(String statement, SQLException e, String msg) {
    int position = postgresPosition(e);
    if (position > 0) {
      int line = 1;
      for (int i = 0; i < Math.min(position - 1, statement.length()); i++) {
        if (statement.charAt(i) == '\n') {
          line++;
        }
      }
      return line;
    }
    Matcher m = DUCKDB_LINE.matcher(msg);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static int postgresPosition(SQLException e) {
    if (e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
      return p.getServerErrorMessage().getPosition();
    }
    return 0;
  }

  private static int fileLine(String source, String compiledLine) {
    String want = compiledLine.strip();
    if (want.isEmpty()) {
      return 0;
    }
    List<String> src = source.lines().toList();
    for (int i = 0; i < src.size(); i++) {
      if (src.get(i).strip().equals(want)) {
        return i + 1;
      }
    }
    return 0;
  }

  private static String firstLine(String msg) {
    int nl = msg.indexOf('\n');
    return nl < 0 ? msg : msg.substring(0, nl);
  }
}
