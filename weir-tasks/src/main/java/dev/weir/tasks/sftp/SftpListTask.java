package dev.weir.tasks.sftp;

import static dev.weir.tasks.duck.Sql.path;

import dev.weir.task.Audit;
import dev.weir.task.Dataset;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.DuckSession;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Lists the files under a remote directory or matching a glob; optionally stages a dataset. */
public final class SftpListTask implements TaskType<SftpListTask.Config> {
  /**
   * @param path a directory (every file below it, at any depth) or a glob (e.g. {@code
   *     sftp://partner/outgoing/*.csv})
   * @param dataset stage a dataset of path, size and last_modified (UTC); default false
   * @param connection an sftp connection from weir.yaml; when absent, the name after sftp://
   */
  public record Config(
      @Required(example = "sftp://partner/outgoing/") String path,
      Boolean dataset,
      String connection) {}

  @Override
  public String name() {
    return "sftp.list";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    SftpChecks.remote("path", config.path(), config.connection(), problems);
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    SftpPath path = SftpChecks.parse(name(), "path", config.path());
    // a plain path is a directory here: listing one exact file is rarely what is meant
    SftpPath listed = path.isFile() ? path.withPath(path.path() + "/") : path;
    var outputs = new LinkedHashMap<String, Object>();
    List<SftpEntry> found;
    Audit audit;
    try (SftpSession sftp = SftpSession.open(context, name(), config.connection(), path)) {
      found = sftp.select(listed);
      audit =
          Audit.NONE.read(found.size()).input(sftp.dataset(listed.path()).withRows(found.size()));
    }
    var paths = new ArrayList<String>();
    long bytes = 0;
    for (SftpEntry e : found) {
      paths.add(e.path());
      bytes += e.size();
    }
    outputs.put("paths", paths);
    outputs.put("count", paths.size());
    outputs.put("bytes", bytes);
    if (!Boolean.TRUE.equals(config.dataset())) {
      return TaskResult.of(outputs).withAudit(audit);
    }
    return TaskResult.of(stage(found, context), outputs).withAudit(audit);
  }

  private static Dataset stage(List<SftpEntry> found, TaskContext context) throws Exception {
    Path out = context.stagingDir().resolve("data.parquet");
    try (DuckSession duck = DuckSession.memory(context)) {
      duck.exec("CREATE TABLE files (path VARCHAR, size BIGINT, last_modified TIMESTAMP)");
      try (PreparedStatement insert =
          duck.connection().prepareStatement("INSERT INTO files VALUES (?, ?, ?)")) {
        for (SftpEntry e : found) {
          insert.setString(1, e.path());
          insert.setLong(2, e.size());
          insert.setTimestamp(
              3, Timestamp.valueOf(e.lastModified().atZone(ZoneOffset.UTC).toLocalDateTime()));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      duck.exec("COPY (SELECT * FROM files ORDER BY path) TO " + path(out) + " (FORMAT parquet)");
      return duck.dataset(context.taskId(), out);
    }
  }
}
