package dev.weir.tasks.cdc;

import dev.weir.expr.Expressions;
import dev.weir.flow.Durations;
import dev.weir.tasks.duck.Masking;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** The checks of a change data capture task's settings that every source shares. */
final class CdcConfigChecks {
  private CdcConfigChecks() {}

  /**
   * @param form how a table is named, e.g. {@code schema.table}
   * @param example a table so named, e.g. {@code public.orders}
   */
  static List<String> problems(
      List<String> tables,
      Map<String, ColumnRules.Filter> columns,
      Map<String, Masking.Rule> mask,
      String maskSalt,
      Integer maxBatch,
      String maxLatency,
      Integer siftBudget,
      String form,
      String example) {
    var problems = new ArrayList<String>();
    if (tables != null) {
      if (tables.isEmpty()) {
        problems.add("tables is empty; name at least one, e.g. `tables: [" + example + "]`");
      }
      var names = new HashSet<String>();
      String qualifier = example.substring(0, example.indexOf('.') + 1);
      for (String t : tables) {
        if (t == null || !t.matches("[^.]+\\.[^.]+")) {
          problems.add(
              "tables: '"
                  + t
                  + "' is not "
                  + form
                  + "; write e.g. "
                  + qualifier
                  + (t == null ? example.substring(qualifier.length()) : t));
        } else if (!names.add(t.substring(t.indexOf('.') + 1))) {
          problems.add(
              "tables: two tables are named "
                  + t.substring(t.indexOf('.') + 1)
                  + "; each becomes a target table of that name, so give one of them a task of"
                  + " its own with another target schema");
        }
      }
      if (columns != null) {
        columns.forEach((table, f) -> {
          if (!tables.contains(table)) {
            problems.add(
                "columns: " + table + " is not one of tables (" + String.join(", ", tables) + ")");
          } else if (f == null || (f.include() == null) == (f.exclude() == null)) {
            problems.add(
                "columns."
                    + table
                    + ": give include or exclude (not both), e.g. `{exclude: [ssn]}`");
          }
        });
      }
    }
    problems.addAll(Masking.validate(mask, maskSalt));
    if (maxBatch != null && maxBatch < 1) {
      problems.add("maxBatch must be at least 1, not " + maxBatch);
    }
    if (maxLatency != null && !Expressions.isTemplate(maxLatency)) {
      try {
        Durations.parse(maxLatency);
      } catch (RuntimeException e) {
        problems.add("maxLatency '" + maxLatency + "' is not a duration; use e.g. 1s");
      }
    }
    if (siftBudget != null && siftBudget < 1) {
      problems.add("siftBudget must be at least 1, not " + siftBudget + "; e.g. 1000");
    }
    return problems;
  }
}
