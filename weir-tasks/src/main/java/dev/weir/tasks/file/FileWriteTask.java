package dev.weir.tasks.file;

import static dev.weir.tasks.duck.Sql.path;
import static dev.weir.tasks.duck.Sql.readParquet;

import dev.weir.expr.Expressions;
import dev.weir.task.Audit;
import dev.weir.task.Dataset;
import dev.weir.task.DatasetRef;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.s3.S3Path;
import dev.weir.tasks.s3.S3Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Writes a dataset to a file; readers see the old file or the whole new one, never a part. */
public final class FileWriteTask implements TaskType<FileWriteTask.Config> {
  /**
   * @param path relative to the flow file's directory, or an {@code s3://bucket/key}
   * @param format inferred from the extension when omitted
   * @param connection the S3 connection for an {@code s3://} path; the default AWS chains when
   *     absent
   */
  public record Config(
      @Required(example = "shape") String dataset,
      @Required(example = "out/orders.csv") String path,
      FileFormat format,
      String connection) {}

  @Override
  public String name() {
    return "file.write";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> datasetInputs(Config config) {
    return List.of(config.dataset());
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    if (dev.weir.tasks.sftp.SftpPath.isSftp(config.path())) {
      problems.add(
          "path '"
              + config.path()
              + "': file.write does not write to SFTP; write a local file (e.g. `path:"
              + " out/orders.csv`) and send it with an sftp.upload task");
      return problems;
    }
    S3Input.check(config.path(), config.connection(), "out/orders.csv", problems);
    if (problems.isEmpty()
        && S3Path.isS3(config.path())
        && !Expressions.isTemplate(config.path())
        && !S3Path.parse(config.path()).isObject()) {
      problems.add(
          "path '"
              + config.path()
              + "' is a prefix or glob, but file.write writes one object; name its key, e.g."
              + " `path: s3://lake/out/orders.csv`");
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Dataset dataset = context.dataset(config.dataset());
    if (S3Path.isS3(config.path())) {
      return toS3(dataset, config, context);
    }
    Path target = context.workDir().resolve(config.path()).toAbsolutePath().normalize();
    write(dataset, config, target, context);
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("rows", dataset.rowCount());
    outputs.put("path", target.toString());
    return TaskResult.of(outputs).withAudit(written(dataset, DatasetRef.file(target), target));
  }

  // written whole in staging first; S3 then shows the old object or the whole new one
  private static TaskResult toS3(Dataset dataset, Config config, TaskContext context)
      throws Exception {
    S3Path object = S3Input.parse(config.path());
    if (!object.isObject()) {
      throw TaskFailedException.permanent(
          "file.write: path '" + config.path() + "' names no object key; e.g. s3://lake/out.csv");
    }
    Path local = context.stagingDir().resolve("s3").resolve(object.fileName());
    write(dataset, config, local, context);
    try (S3Session s3 = S3Session.open(context, "file.write", config.connection())) {
      s3.upload(local, object);
    }
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("rows", dataset.rowCount());
    outputs.put("path", object.toString());
    return TaskResult.of(outputs)
        .withAudit(written(dataset, DatasetRef.s3(object.bucket(), object.key()), local));
  }

  private static Audit written(Dataset dataset, DatasetRef target, Path file) {
    long bytes = file.toFile().length();
    return Audit.NONE
        .written(dataset.rowCount())
        .bytesWritten(bytes)
        .checksum(dataset.checksum())
        .output(target.withRows(dataset.rowCount()).withBytes(bytes));
  }

  private static void write(Dataset dataset, Config config, Path target, TaskContext context)
      throws Exception {
    FileFormat format = FileFormat.of(config.format(), target);
    Files.createDirectories(target.getParent());
    // same directory, so the final move is a rename on one file system and can be atomic
    Path temp =
        target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try (DuckSession duck = DuckSession.memory(context)) {
      duck.exec(
          "COPY (SELECT * FROM "
              + readParquet(dataset.path())
              + ") TO "
              + path(temp)
              + " ("
              + options(format, target)
              + ")");
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static String options(FileFormat format, Path target) {
    String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
    // DuckDB picks compression from the file name, and the temp file's name ends in .tmp
    String compression =
        name.endsWith(".gz")
            ? ", COMPRESSION gzip"
            : name.endsWith(".zst") ? ", COMPRESSION zstd" : "";
    return switch (format) {
      case CSV ->
          "FORMAT csv, HEADER true"
              + (FileFormat.isTsv(target) ? ", DELIMITER '\t'" : "")
              + compression;
      // a .json file holds one JSON document; .jsonl and .ndjson hold one object per line
      case JSON ->
          (name.matches(".*\\.json(\\.gz|\\.zst)?") ? "FORMAT json, ARRAY true" : "FORMAT json")
              + compression;
      case PARQUET -> "FORMAT parquet";
    };
  }
}
