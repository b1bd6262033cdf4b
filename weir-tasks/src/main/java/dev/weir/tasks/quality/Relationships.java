package dev.weir.tasks.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows whose non-null {@code column} has no equal {@code field} in {@code to} fail (orphans, as a
 * foreign key would refuse). {@code to} is the id of a task that runs before this one and staged a
 * dataset.
 */
public record Relationships(String column, String to, String field) {
  List<String> problems(String at) {
    var problems = new ArrayList<String>();
    if (column == null
        || column.isBlank()
        || to == null
        || to.isBlank()
        || field == null
        || field.isBlank()) {
      problems.add(
          at
              + " needs a column, the dataset it refers `to` and that dataset's field, e.g."
              + " `relationships: {column: customer_id, to: customers, field: id}`");
    }
    return problems;
  }

  String label() {
    return "relationships(" + column + " -> " + to + "." + field + ")";
  }
}
