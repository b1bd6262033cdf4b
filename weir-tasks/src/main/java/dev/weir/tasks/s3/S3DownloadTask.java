package dev.weir.tasks.s3;

import dev.weir.task.Audit;
import dev.weir.task.DatasetRef;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Downloads one object, or every object under a prefix or matching a glob, to local files. */
public final class S3DownloadTask implements TaskType<S3DownloadTask.Config> {
  /**
   * @param from an object key, a prefix ending in /, or a glob such as {@code
   *     s3://lake/day=1/*.csv}
   * @param to a file for one object; a directory (created if needed) for a prefix or glob, or when
   *     it ends in /
   * @param connection an S3 connection from weir.yaml; the default AWS chains when absent
   */
  public record Config(
      @Required(example = "s3://lake/orders/2026-11-21.parquet") String from,
      @Required(example = "data/orders.parquet") String to,
      String connection) {}

  @Override
  public String name() {
    return "s3.download";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    S3Checks.address("from", config.from(), problems);
    S3Checks.local("to", config.to(), "data/orders.parquet", problems);
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    S3Path from = S3Checks.parse(name(), "from", config.from());
    Path to = context.workDir().resolve(config.to()).toAbsolutePath().normalize();
    boolean many = !from.isObject();
    boolean intoDirectory = many || config.to().endsWith("/") || Files.isDirectory(to);
    var paths = new ArrayList<String>();
    long bytes = 0;
    try (S3Session s3 = S3Session.open(context, name(), config.connection())) {
      List<S3Path> objects = many ? selected(s3, from) : List.of(from);
      for (S3Path object : objects) {
        Path target =
            !intoDirectory
                ? to
                : local(to, many ? object.key().substring(from.base().length()) : from.fileName());
        bytes += s3.download(object, target);
        paths.add(target.toString());
      }
    }
    context.logger().info("downloaded " + paths.size() + " object(s), " + bytes + " bytes");
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("path", to.toString());
    outputs.put("paths", paths);
    outputs.put("count", paths.size());
    outputs.put("bytes", bytes);
    Audit audit =
        Audit.NONE
            .bytesRead(bytes)
            .bytesWritten(bytes)
            .input(DatasetRef.s3(from.bucket(), from.key()).withBytes(bytes))
            .output(DatasetRef.file(to).withBytes(bytes));
    return TaskResult.of(outputs).withAudit(audit);
  }

  private List<S3Path> selected(S3Session s3, S3Path from) {
    List<S3Path> objects = s3.select(from).stream().map(S3Entry::path).toList();
    if (objects.isEmpty()) {
      throw TaskFailedException.permanent(
          "s3.download: no objects match "
              + from
              + "; check the prefix or glob (a glob's * stays within one /-separated segment, ** "
              + "crosses them, e.g. s3://lake/orders/**/*.csv)");
    }
    return objects;
  }

  /** Where a key's relative part lands under {@code dir}; never outside it. */
  static Path local(Path dir, String relative) {
    Path target = dir.resolve(relative).normalize();
    if (!target.startsWith(dir) || target.equals(dir)) {
      throw TaskFailedException.permanent(
          "object key part '"
              + relative
              + "' would be written outside "
              + dir
              + "; narrow the prefix or glob to keys without '..' segments");
    }
    return target;
  }
}
