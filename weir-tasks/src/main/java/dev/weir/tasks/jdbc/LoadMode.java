package dev.weir.tasks.jdbc;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How {@code jdbc.load} treats rows already in the table. */
public enum LoadMode {
  /** Adds the dataset's rows; a retry or resume of the same run does not add them twice. */
  APPEND,
  /** Swaps the table's rows for the dataset's, in one transaction. */
  REPLACE,
  /** Replaces rows whose key is in the dataset and adds the rest, in one transaction. */
  UPSERT,
  /**
   * Replaces the rows of one partition (a day, a region) with the dataset's, in one transaction.
   */
  @JsonProperty("replacePartition")
  REPLACE_PARTITION
}
