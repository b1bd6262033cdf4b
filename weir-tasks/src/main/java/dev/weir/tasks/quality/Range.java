package dev.weir.tasks.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows whose non-null {@code column} is below {@code min} or above {@code max} fail (both bounds
 * inclusive, either may be left out). Bounds are numbers, or text that DuckDB casts to the column's
 * type, e.g. {@code '2024-01-01'} for a DATE.
 */
public record Range(String column, Object min, Object max) {
  List<String> problems(String at) {
    var problems = new ArrayList<String>();
    if (column == null || column.isBlank()) {
      problems.add(at + " needs a column, e.g. `range: {column: amount, min: 0, max: 10000}`");
    }
    if (min == null && max == null) {
      problems.add(at + " needs min, max or both, e.g. `range: {column: amount, min: 0}`");
    } else if (min instanceof Number lo && max instanceof Number hi) {
      if (lo.doubleValue() > hi.doubleValue()) {
        problems.add(at + " min " + lo + " is above max " + hi + "; no row can pass it");
      }
    }
    return problems;
  }

  String label() {
    var parts = new ArrayList<String>();
    parts.add(column);
    if (min != null) parts.add("min=" + min);
    if (max != null) parts.add("max=" + max);
    return "range(" + String.join(", ", parts) + ")";
  }
}
