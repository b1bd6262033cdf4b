package dev.weir.task;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Reads the rows of a staged dataset as maps (column → value), for a forEach over {@code rows:}.
 * The Parquet reading lives with the task types (weir-tasks registers one through {@link
 * ServiceLoader}); the engine only asks.
 */
public interface DatasetRows {
  /** At most {@code max} rows of {@code dataset}, in file order. */
  List<Map<String, Object>> read(Dataset dataset, int max);

  /** The registered reader; a clear error when none is on the class path. */
  static DatasetRows load() {
    return ServiceLoader.load(DatasetRows.class)
        .findFirst()
        .orElseThrow(() ->
            new TaskFailedException(
                "rows: no dataset reader is installed (weir-tasks provides one); use items instead"));
  }
}
