package dev.weir.tasks.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One item of {@code checks}: a mapping with exactly one of the kinds below set, and optionally its
 * own severity.
 */
public record Check(
    RowCount rowCount,
    List<String> notNull,
    List<String> unique,
    AcceptedValues acceptedValues,
    String expression,
    Freshness freshness,
    Range range,
    Regex regex,
    Relationships relationships,
    String sql,
    Anomaly anomaly,
    Severity severity) {

  static final List<String> KINDS =
      List.of(
          "rowCount",
          "notNull",
          "unique",
          "acceptedValues",
          "expression",
          "freshness",
          "range",
          "regex",
          "relationships",
          "sql",
          "anomaly");

  /**
   * @param min at least this many rows; null for no lower bound
   * @param max at most this many rows; null for no upper bound
   */
  public record RowCount(Long min, Long max) {}

  /** Rows whose non-null {@code column} is not one of {@code values} fail. */
  public record AcceptedValues(String column, List<Object> values) {}

  List<String> kindsSet() {
    var set = new ArrayList<String>();
    if (rowCount != null) set.add("rowCount");
    if (notNull != null) set.add("notNull");
    if (unique != null) set.add("unique");
    if (acceptedValues != null) set.add("acceptedValues");
    if (expression != null) set.add("expression");
    if (freshness != null) set.add("freshness");
    if (range != null) set.add("range");
    if (regex != null) set.add("regex");
    if (relationships != null) set.add("relationships");
    if (sql != null) set.add("sql");
    if (anomaly != null) set.add("anomaly");
    return set;
  }

  /** Problems with check number {@code index}, each naming it as {@code checks[index]}. */
  List<String> problems(int index) {
    String at = "checks[" + index + "]";
    var problems = new ArrayList<String>();
    List<String> kinds = kindsSet();
    if (kinds.isEmpty()) {
      problems.add(
          at
              + " names no check; give exactly one of "
              + String.join(", ", KINDS)
              + ", e.g. `- notNull: [order_id]`");
      return problems;
    }
    if (kinds.size() > 1) {
      problems.add(
          at
              + " has "
              + kinds.size()
              + " checks ("
              + String.join(", ", kinds)
              + ") in one item; write each as its own list item, one of "
              + String.join(", ", KINDS));
      return problems;
    }
    if (rowCount != null) {
      if (rowCount.min() == null && rowCount.max() == null) {
        problems.add(at + ".rowCount needs min, max or both, e.g. `rowCount: {min: 1}`");
      } else if (rowCount.min() != null
          && rowCount.max() != null
          && rowCount.min() > rowCount.max()) {
        problems.add(
            at
                + ".rowCount min "
                + rowCount.min()
                + " is above max "
                + rowCount.max()
                + "; no dataset can pass it");
      }
    }
    if (notNull != null && notNull.isEmpty()) {
      problems.add(at + ".notNull lists no columns; e.g. `notNull: [order_id]`");
    }
    if (unique != null && unique.isEmpty()) {
      problems.add(at + ".unique lists no columns; e.g. `unique: [order_id]`");
    }
    if (acceptedValues != null
        && (acceptedValues.column() == null
            || acceptedValues.values() == null
            || acceptedValues.values().isEmpty())) {
      problems.add(
          at
              + ".acceptedValues needs a column and a non-empty list of values, e.g."
              + " `acceptedValues: {column: status, values: [open, shipped]}`");
    }
    if (expression != null && expression.isBlank()) {
      problems.add(at + ".expression is empty; e.g. `expression: amount >= 0`");
    }
    if (freshness != null) problems.addAll(freshness.problems(at + ".freshness"));
    if (range != null) problems.addAll(range.problems(at + ".range"));
    if (regex != null) problems.addAll(regex.problems(at + ".regex"));
    if (relationships != null) problems.addAll(relationships.problems(at + ".relationships"));
    if (sql != null && sql.isBlank()) {
      problems.add(
          at
              + ".sql is empty; give a query that returns the bad rows, e.g. `sql: SELECT * FROM"
              + " dataset WHERE shipped_on < ordered_on`");
    }
    if (anomaly != null) problems.addAll(anomaly.problems(at + ".anomaly"));
    return problems;
  }

  /** The kind of check this is, e.g. {@code unique}; one of {@link #KINDS}. */
  String kind() {
    return kindsSet().getFirst();
  }

  /** How the check appears in outputs and messages, e.g. {@code unique(order_id, line)}. */
  String label() {
    if (rowCount != null) {
      var parts = new ArrayList<String>();
      if (rowCount.min() != null) parts.add("min=" + rowCount.min());
      if (rowCount.max() != null) parts.add("max=" + rowCount.max());
      return "rowCount(" + String.join(", ", parts) + ")";
    }
    if (notNull != null) return "notNull(" + String.join(", ", notNull) + ")";
    if (unique != null) return "unique(" + String.join(", ", unique) + ")";
    if (acceptedValues != null) {
      return "acceptedValues("
          + acceptedValues.column()
          + " in ["
          + acceptedValues.values().stream().map(String::valueOf).collect(Collectors.joining(", "))
          + "])";
    }
    if (freshness != null) return freshness.label();
    if (range != null) return range.label();
    if (regex != null) return regex.label();
    if (relationships != null) return relationships.label();
    if (anomaly != null) return anomaly.label();
    if (sql != null) {
      String oneLine = sql.strip().replaceAll("\\s+", " ");
      return "sql(" + (oneLine.length() > 80 ? oneLine.substring(0, 79) + "…" : oneLine) + ")";
    }
    return "expression(" + expression + ")";
  }
}
