package dev.weir.tasks.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Rows whose non-null {@code column}, as text, does not match {@code pattern} fail. The pattern
 * matches anywhere in the value (RE2 syntax, as DuckDB's {@code regexp_matches}); anchor it with
 * {@code ^…$} to match the whole value.
 */
public record Regex(String column, String pattern) {
  List<String> problems(String at) {
    var problems = new ArrayList<String>();
    if (column == null || column.isBlank() || pattern == null || pattern.isEmpty()) {
      problems.add(
          at
              + " needs a column and a pattern, e.g. `regex: {column: email, pattern:"
              + " '^[^@]+@[^@]+$'}`");
      return problems;
    }
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      problems.add(
          at
              + ".pattern '"
              + pattern
              + "' is not a regular expression: "
              + e.getDescription()
              + " near index "
              + e.getIndex());
    }
    return problems;
  }

  String label() {
    return "regex(" + column + " ~ '" + pattern + "')";
  }
}
