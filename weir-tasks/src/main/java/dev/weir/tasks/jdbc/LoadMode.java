package dev.weir.tasks.jdbc;

/** How {@code jdbc.load} treats rows already in the table. */
public enum LoadMode {
  /** Adds the dataset's rows. */
  APPEND,
  /** Swaps the table's rows for the dataset's, in one transaction. */
  REPLACE,
  /** Replaces rows whose key is in the dataset and adds the rest, in one transaction. */
  UPSERT
}
