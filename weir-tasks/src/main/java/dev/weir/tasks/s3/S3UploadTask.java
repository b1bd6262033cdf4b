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
import java.util.stream.Stream;

/** Uploads a local file, or every file under a local directory, to S3. */
public final class S3UploadTask implements TaskType<S3UploadTask.Config> {
  /**
   * @param from a file or directory, relative to the flow file's directory
   * @param to an object key, or a prefix (ending in /) the file names are appended to; a directory
   *     always goes to a prefix
   * @param connection an S3 connection from weir.yaml; the default AWS chains when absent
   */
  public record Config(
      @Required(example = "out/orders.parquet") String from,
      @Required(example = "s3://lake/orders/2026-11-21.parquet") String to,
      String connection) {}

  private final long partSize;

  public S3UploadTask() {
    this(S3Session.DEFAULT_PART_SIZE);
  }

  /**
   * With another part size, e.g. S3's minimum of 5 MiB to test multipart uploads on small files.
   */
  public S3UploadTask(long partSize) {
    this.partSize = partSize;
  }

  @Override
  public String name() {
    return "s3.upload";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    S3Checks.local("from", config.from(), "out/orders.parquet", problems);
    S3Path to = S3Checks.address("to", config.to(), problems);
    if (to != null && to.hasGlob()) {
      problems.add(
          "to '"
              + config.to()
              + "' holds a glob character (*, ? or [), which S3 would take literally; write a key"
              + " or a prefix, e.g. `to: s3://lake/orders/`");
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Path from = context.workDir().resolve(config.from()).toAbsolutePath().normalize();
    S3Path to = S3Checks.parse(name(), "to", config.to());
    List<Path> files = files(from, config);
    boolean directory = Files.isDirectory(from);
    String prefix = to.key().isEmpty() || to.key().endsWith("/") ? to.key() : to.key() + "/";
    var keys = new ArrayList<String>();
    long bytes = 0;
    try (S3Session s3 = S3Session.open(context, name(), config.connection(), partSize)) {
      for (Path file : files) {
        String key =
            directory
                ? prefix + from.relativize(file).toString().replace('\\', '/')
                : to.isPrefix() ? prefix + file.getFileName() : to.key();
        int parts = s3.upload(file, to.withKey(key));
        long size = Files.size(file);
        bytes += size;
        keys.add(key);
        context
            .logger()
            .info(
                "uploaded "
                    + file
                    + " to "
                    + to.withKey(key)
                    + " ("
                    + size
                    + " bytes"
                    + (parts > 1 ? " in " + parts + " parts" : "")
                    + ")");
      }
    }
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("uri", directory || to.isPrefix() ? to.withKey(prefix).toString() : to.toString());
    outputs.put("bucket", to.bucket());
    outputs.put("keys", keys);
    outputs.put("count", keys.size());
    outputs.put("bytes", bytes);
    String written = directory || to.isPrefix() ? prefix : to.key();
    Audit audit =
        Audit.NONE
            .bytesRead(bytes)
            .bytesWritten(bytes)
            .input(DatasetRef.file(from).withBytes(bytes))
            .output(DatasetRef.s3(to.bucket(), written).withBytes(bytes));
    return TaskResult.of(outputs).withAudit(audit);
  }

  private static List<Path> files(Path from, Config config) throws Exception {
    if (Files.isRegularFile(from)) {
      return List.of(from);
    }
    if (!Files.isDirectory(from)) {
      throw TaskFailedException.permanent(
          "s3.upload: no file or directory at "
              + from
              + " (from '"
              + config.from()
              + "', relative paths resolve against the flow file's directory)");
    }
    try (Stream<Path> walk = Files.walk(from)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
