package dev.weir.tasks.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Rows whose non-null {@code column} has no equal {@code field} in {@code to} fail (orphans, as a
 * foreign key would refuse). {@code to} is the id of a task that runs before this one and staged a
 * dataset, or, with {@code connection}, a table of that database ({@code customers}, {@code
 * crm.customers}).
 */
public record Relationships(String column, String to, String field, String connection) {
  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*){0,2}");
  private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

  /** Whether {@code to} names a dataset of this run (not a table of a connection). */
  boolean toDataset() {
    return connection == null;
  }

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
      return problems;
    }
    if (connection != null && !TABLE.matcher(to).matches()) {
      problems.add(
          at
              + ".to '"
              + to
              + "' is not a table name; with a connection, give a table as `customers` or"
              + " `crm.customers`");
    }
    if (connection != null && !FIELD.matcher(field).matches()) {
      problems.add(
          at
              + ".field '"
              + field
              + "' is not a plain column name of table '"
              + to
              + "', e.g. `id`");
    }
    return problems;
  }

  String label() {
    return "relationships("
        + column
        + " -> "
        + (connection == null ? "" : connection + ":")
        + to
        + "."
        + field
        + ")";
  }
}
