package dev.weir.tasks.jdbc;

import static dev.weir.tasks.duck.Sql.id;
import static dev.weir.tasks.duck.Sql.readParquet;
import static dev.weir.tasks.duck.Sql.str;

import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.duck.DuckSession;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Checks on a dataset before it is loaded, so a bad load fails before it touches the table. */
final class KeyCheck {
  private KeyCheck() {}

  /** An upsert with two rows for one key, or a null key, would leave duplicates behind. */
  static void check(DuckSession duck, Dataset dataset, List<String> key) throws SQLException {
    String source = readParquet(dataset.path());
    List<String> columns = dataset.schema().stream().map(Dataset.Column::name).toList();
    for (String k : key) {
      if (!columns.contains(k)) {
        throw TaskFailedException.permanent(
            "jdbc.load key column '"
                + k
                + "' is not in dataset '"
                + dataset.taskId()
                + "' (its columns: "
                + String.join(", ", columns)
                + "); fix key");
      }
    }
    String keyList = key.stream().map(k -> id(k)).collect(Collectors.joining(", "));
    long nulls =
        duck.queryLong(
            "SELECT count(*) FROM "
                + source
                + " WHERE "
                + key.stream().map(k -> id(k) + " IS NULL").collect(Collectors.joining(" OR ")));
    if (nulls > 0) {
      throw TaskFailedException.permanent(
          "jdbc.load upsert: "
              + nulls
              + " rows of dataset '"
              + dataset.taskId()
              + "' have a null in key ("
              + String.join(", ", key)
              + "), and a null key matches no row; filter them out upstream or"
              + " check with `notNull: ["
              + String.join(", ", key)
              + "]`");
    }
    String dups =
        "SELECT "
            + keyList
            + ", count(*) AS weir_n FROM "
            + source
            + " GROUP BY ALL HAVING count(*) > 1";
    long duplicated = duck.queryLong("SELECT count(*) FROM (" + dups + ")");
    if (duplicated > 0) {
      Map<String, Object> example =
          duck.rows(dups + " ORDER BY weir_n DESC, " + keyList, 1).getFirst();
      Object times = example.remove("weir_n");
      throw TaskFailedException.permanent(
          "jdbc.load upsert: dataset '"
              + dataset.taskId()
              + "' has "
              + duplicated
              + (duplicated == 1 ? " key" : " keys")
              + " that occur more than once, e.g. "
              + example
              + " occurs "
              + times
              + " times; an upsert needs one row per key ("
              + String.join(", ", key)
              + "). Deduplicate upstream, e.g. `QUALIFY row_number() OVER (PARTITION BY "
              + String.join(", ", key)
              + " ORDER BY updated_at DESC) = 1`");
    }
  }

  /** A partition load whose rows are not all in that partition would leave rows elsewhere twice. */
  static void partition(DuckSession duck, Dataset dataset, JdbcLoadTask.Partition partition)
      throws SQLException {
    String column = partition.column();
    if (dataset.schema().stream().noneMatch(c -> c.name().equals(column))) {
      throw TaskFailedException.permanent(
          "jdbc.load partition column '"
              + column
              + "' is not in dataset '"
              + dataset.taskId()
              + "' (its columns: "
              + dataset.schema().stream()
                  .map(Dataset.Column::name)
                  .collect(Collectors.joining(", "))
              + "); fix partition.column");
    }
    long outside =
        duck.queryLong(
            "SELECT count(*) FROM "
                + readParquet(dataset.path())
                + " WHERE "
                + id(column)
                + "::VARCHAR IS DISTINCT FROM "
                + str(partition.value()));
    if (outside > 0) {
      throw TaskFailedException.permanent(
          "jdbc.load replacePartition: "
              + outside
              + " rows of dataset '"
              + dataset.taskId()
              + "' have "
              + column
              + " other than '"
              + partition.value()
              + "', and would be loaded outside the partition being replaced; filter the dataset"
              + " to that partition, e.g. `WHERE "
              + column
              + " = '"
              + partition.value()
              + "'`");
    }
  }
}
