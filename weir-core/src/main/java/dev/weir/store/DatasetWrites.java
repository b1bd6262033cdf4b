package dev.weir.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps {@code weir_dataset_writes}: per flow and task, the newest SUCCEEDED attempt that staged a
 * dataset, written with the batch that stores the attempt's end, so that dataset freshness is one
 * row per dataset to read instead of every task run (schema v11).
 *
 * <p>Two servers on one PostgreSQL may end attempts of the same task at once, so the row is written
 * by one statement that inserts or updates (PostgreSQL's {@code ON CONFLICT}, H2's {@code MERGE});
 * a write older than the stored one leaves it as it is: the newest end wins, ties to the higher run
 * id, as the query this table replaces decided.
 */
final class DatasetWrites {
  static final String SELECT =
      "SELECT namespace, flow_id, task_id, run_id, written_at, rows_out FROM weir_dataset_writes"
          + " ORDER BY namespace, flow_id, task_id";

  private static final String NEWER =
      "w.written_at < %1$s.written_at OR (w.written_at = %1$s.written_at AND w.run_id <="
          + " %1$s.run_id)";

  private static final String POSTGRESQL =
      "INSERT INTO weir_dataset_writes AS w (namespace, flow_id, task_id, run_id, written_at,"
          + " rows_out) SELECT namespace, flow_id, ?, ?, ?, ? FROM weir_runs WHERE id = ?"
          + " ON CONFLICT (namespace, flow_id, task_id) DO UPDATE SET run_id = EXCLUDED.run_id,"
          + " written_at = EXCLUDED.written_at, rows_out = EXCLUDED.rows_out WHERE "
          + NEWER.formatted("EXCLUDED");

  private static final String H2 =
      "MERGE INTO weir_dataset_writes w USING (SELECT namespace, flow_id,"
          + " CAST(? AS VARCHAR(200)) AS task_id, CAST(? AS VARCHAR(40)) AS run_id,"
          + " CAST(? AS TIMESTAMP WITH TIME ZONE) AS written_at, CAST(? AS BIGINT) AS rows_out"
          + " FROM weir_runs WHERE id = ?) s ON w.namespace = s.namespace AND w.flow_id ="
          + " s.flow_id AND w.task_id = s.task_id WHEN MATCHED AND ("
          + NEWER.formatted("s")
          + ") THEN UPDATE SET run_id = s.run_id, written_at = s.written_at, rows_out = s.rows_out"
          + " WHEN NOT MATCHED THEN INSERT (namespace, flow_id, task_id, run_id, written_at,"
          + " rows_out) VALUES (s.namespace, s.flow_id, s.task_id, s.run_id, s.written_at,"
          + " s.rows_out)";

  private DatasetWrites() {}

  /** Records the dataset writes of the batch's task runs; runs the batch inserts come first. */
  static void record(Connection c, StateStore.Batch batch) throws SQLException {
    List<TaskRunRecord> writes = new ArrayList<>();
    Stream.concat(batch.insertTaskRuns().stream(), batch.updateTaskRuns().stream())
        .filter(DatasetWrites::isWrite)
        .forEach(writes::add);
    if (writes.isEmpty()) {
      return;
    }
    boolean h2 = c.getMetaData().getURL().startsWith("jdbc:h2:");
    try (var ps = c.prepareStatement(h2 ? H2 : POSTGRESQL)) {
      for (TaskRunRecord t : writes) {
        ps.setString(1, t.taskId());
        ps.setString(2, t.runId());
        JdbcWork.setTime(ps, 3, t.endedAt());
        ps.setLong(4, t.rows());
        ps.setString(5, t.runId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static boolean isWrite(TaskRunRecord t) {
    return t.state() == TaskState.SUCCEEDED && t.dataset() != null && t.endedAt() != null;
  }
}
