package dev.weir.tasks.quality;

import dev.weir.flow.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest value of {@code column} (a TIMESTAMP, TIMESTAMPTZ or DATE; without a zone read as UTC)
 * must be at most {@code maxAge} older than the time the check runs.
 */
public record Freshness(String column, String maxAge) {
  List<String> problems(String at) {
    var problems = new ArrayList<String>();
    if (column == null || column.isBlank() || maxAge == null) {
      problems.add(
          at + " needs a column and a maxAge, e.g. `freshness: {column: updated_at, maxAge: 6h}`");
      return problems;
    }
    try {
      if (age().isNegative() || age().isZero()) {
        problems.add(at + ".maxAge must be above zero, got '" + maxAge + "'");
      }
    } catch (IllegalArgumentException e) {
      problems.add(at + ".maxAge: " + e.getMessage());
    }
    return problems;
  }

  Duration age() {
    return Durations.parse(maxAge);
  }

  String label() {
    return "freshness(" + column + ", maxAge=" + maxAge + ")";
  }
}
