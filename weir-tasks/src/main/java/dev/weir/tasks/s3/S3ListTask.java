package dev.weir.tasks.s3;

import static dev.weir.tasks.duck.Sql.path;

import dev.weir.task.Audit;
import dev.weir.task.Dataset;
import dev.weir.task.DatasetRef;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.DuckSession;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Lists the objects under a prefix or matching a glob; optionally stages them as a dataset. */
public final class S3ListTask implements TaskType<S3ListTask.Config> {
  /**
   * @param path a prefix (any start of a key, e.g. {@code s3://lake/orders/2026-}) or a glob (e.g.
   *     {@code s3://lake/orders/*.parquet})
   * @param dataset stage a dataset of key, size and last_modified (UTC); default false
   * @param connection an S3 connection from weir.yaml; the default AWS chains when absent
   */
  public record Config(
      @Required(example = "s3://lake/orders/") String path, Boolean dataset, String connection) {}

  @Override
  public String name() {
    return "s3.list";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    S3Checks.address("path", config.path(), problems);
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    S3Path path = S3Checks.parse(name(), "path", config.path());
    List<S3Entry> found;
    try (S3Session s3 = S3Session.open(context, name(), config.connection())) {
      // a plain path is a prefix here: listing one exact key is rarely what is meant
      found = path.hasGlob() ? s3.select(path) : s3.list(path.bucket(), path.key(), k -> true);
    }
    var keys = new ArrayList<String>();
    long bytes = 0;
    for (S3Entry e : found) {
      keys.add(e.key());
      bytes += e.size();
    }
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("bucket", path.bucket());
    outputs.put("keys", keys);
    outputs.put("count", keys.size());
    outputs.put("bytes", bytes);
    Audit audit =
        Audit.NONE
            .read(keys.size())
            .input(DatasetRef.s3(path.bucket(), path.key()).withRows(keys.size()));
    if (!Boolean.TRUE.equals(config.dataset())) {
      return TaskResult.of(outputs).withAudit(audit);
    }
    return TaskResult.of(stage(found, context), outputs).withAudit(audit);
  }

  private static Dataset stage(List<S3Entry> found, TaskContext context) throws Exception {
    Path out = context.stagingDir().resolve("data.parquet");
    try (DuckSession duck = DuckSession.memory(context)) {
      duck.exec("CREATE TABLE objects (key VARCHAR, size BIGINT, last_modified TIMESTAMP)");
      try (PreparedStatement insert =
          duck.connection().prepareStatement("INSERT INTO objects VALUES (?, ?, ?)")) {
        for (S3Entry e : found) {
          insert.setString(1, e.key());
          insert.setLong(2, e.size());
          insert.setTimestamp(
              3,
              e.lastModified() == null
                  ? null
                  : Timestamp.valueOf(
                      e.lastModified().atZone(java.time.ZoneOffset.UTC).toLocalDateTime()));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      duck.exec("COPY (SELECT * FROM objects ORDER BY key) TO " + path(out) + " (FORMAT parquet)");
      return duck.dataset(context.taskId(), out);
    }
  }
}
