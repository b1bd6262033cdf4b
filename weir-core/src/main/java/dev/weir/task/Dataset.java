package dev.weir.task;

import java.nio.file.Path;
import java.util.List;

/**
 * Data a task staged for the tasks after it: a Parquet file in the run's staging directory.
 *
 * @param checksum order-independent digest of the rows, stable across re-runs of equal data
 */
public record Dataset(
    String taskId, Path path, List<Column> schema, long rowCount, String checksum) {
  public Dataset {
    schema = List.copyOf(schema);
  }

  /** A column and its SQL type as DuckDB names it ({@code BIGINT}, {@code DECIMAL(10,2)}). */
  public record Column(String name, String type) {}
}
