package dev.weir.tasks.jdbc;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What {@code jdbc.load} does when the dataset has columns the table lacks. */
public enum SchemaChanges {
  /** Stop before loading anything and name the columns. */
  FAIL,
  /** Add the columns to the table, then load. */
  @JsonProperty("addColumns")
  ADD_COLUMNS;

  /** The columns of {@code dataset} that {@code table} lacks (names compared without case). */
  static java.util.List<dev.weir.task.Dataset.Column> missing(
      java.util.List<dev.weir.task.Dataset.Column> dataset, java.util.Collection<String> table) {
    var have =
        table.stream()
            .map(c -> c.toLowerCase(java.util.Locale.ROOT))
            .collect(java.util.stream.Collectors.toSet());
    return dataset.stream()
        .filter(c -> !have.contains(c.name().toLowerCase(java.util.Locale.ROOT)))
        .toList();
  }

  /** Stops the load unless columns may be added. */
  void check(
      String tableName,
      java.util.List<dev.weir.task.Dataset.Column> missing,
      java.util.Collection<String> table) {
    if (this == ADD_COLUMNS || missing.isEmpty()) {
      return;
    }
    throw dev.weir.task.TaskFailedException.permanent(
        "jdbc.load: table "
            + tableName
            + " lacks "
            + (missing.size() == 1 ? "column " : "columns ")
            + String.join(", ", missing.stream().map(c -> c.name() + " " + c.type()).toList())
            + " of the dataset (table columns: "
            + String.join(", ", table)
            + "); set `schemaChanges: addColumns` to add them, or leave them out of the dataset");
  }
}
