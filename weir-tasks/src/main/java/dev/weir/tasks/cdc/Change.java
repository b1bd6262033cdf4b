package dev.weir.tasks.cdc;

import java.util.List;

/**
 * One source change, masked and in target terms.
 *
 * @param key the primary key values (masked like the columns), compared by content: binary ones as
 *     {@link KeyBytes}
 * @param keyColumns the primary key column names
 * @param shape the row's columns; null for a delete or a truncate
 * @param values the row's values in {@code shape} order; null for a delete or a truncate
 * @param sourceMillis when the source committed it (epoch millis); 0 for snapshot rows
 */
record Change(
    String table,
    Op op,
    List<Object> key,
    List<String> keyColumns,
    RowShape shape,
    Object[] values,
    long sourceMillis) {

  /** What happened to the row. */
  enum Op {
    SNAPSHOT,
    INSERT,
    UPDATE,
    DELETE,
    /** Every row of the table went; no key, no values. */
    TRUNCATE;

    boolean isDelete() {
      return this == DELETE;
    }

    /** Whether the change carries a row (a shape and values). */
    boolean hasRow() {
      return this != DELETE && this != TRUNCATE;
    }
  }
}
