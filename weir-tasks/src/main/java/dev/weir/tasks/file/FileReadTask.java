package dev.weir.tasks.file;

import dev.weir.task.Audit;
import dev.weir.task.Dataset;
import dev.weir.task.DatasetRef;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import dev.weir.tasks.s3.S3Path;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads a CSV, JSON or Parquet file into a staged dataset, setting aside rows that don't fit. */
public final class FileReadTask implements TaskType<FileReadTask.Config> {
  // what a DuckDB type name looks like; anything else would be pasted into SQL unchecked
  private static final Pattern TYPE =
      Pattern.compile("[A-Za-z][A-Za-z0-9_ ]*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?(\\[\\])?");

  /**
   * @param path a local file, an {@code s3://} key, prefix or glob, or an {@code sftp://} file,
   *     directory or glob
   * @param schema column → DuckDB type; for CSV every column of the file in order, for JSON and
   *     Parquet the columns to keep
   * @param delimiter CSV only; defaults to "," (tab for .tsv)
   * @param header CSV only; defaults to true
   * @param maxRejected a row count ({@code 10}) or a share of rows ({@code 5%}); defaults to 0
   * @param connection the S3 connection for an {@code s3://} path (the default AWS chains when
   *     absent), or the SFTP connection for an {@code sftp://} path (the name after sftp:// when
   *     absent)
   * @param encoding CSV only: utf-8 (the default), utf-16 or latin-1
   */
  public record Config(
      @Required(example = "data/orders.csv") String path,
      FileFormat format,
      LinkedHashMap<String, String> schema,
      String delimiter,
      Boolean header,
      String maxRejected,
      dev.weir.tasks.contract.Contract contract,
      String connection,
      String encoding) {}

  @Override
  public String name() {
    return "file.read";
  }

  @Override
  public boolean setsRecordsAside() {
    return true;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems =
        new ArrayList<String>(dev.weir.tasks.contract.Contract.validate(config.contract()));
    if (dev.weir.tasks.sftp.SftpPath.isSftp(config.path())) {
      SftpInput.check(config.path(), problems);
    } else {
      S3Input.check(config.path(), config.connection(), "data/orders.csv", problems);
    }
    try {
      RejectLimit.parse(config.maxRejected());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    try {
      CsvEncoding.of(config.encoding());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (config.schema() != null) {
      boolean split = false;
      for (Map.Entry<String, String> e : config.schema().entrySet()) {
        String column = e.getKey();
        String type = e.getValue();
        if (split && type == null && column.endsWith(")")) {
          split = false; // the second half of a type YAML split at its comma, reported already
        } else if (type != null && type.contains("(") && !type.contains(")")) {
          split = true;
          problems.add(
              "schema column '"
                  + column
                  + "' has type '"
                  + type
                  + "': inside {...} YAML splits at the comma; quote the type, e.g. `"
                  + column
                  + ": 'DECIMAL(10,2)'`, or write the schema one column per line");
        } else if (type == null || !TYPE.matcher(type.strip()).matches()) {
          problems.add(
              "schema column '"
                  + column
                  + "' has type '"
                  + type
                  + "', which is not a DuckDB type name; use e.g. BIGINT, DOUBLE,"
                  + " DECIMAL(10,2), VARCHAR, DATE, TIMESTAMP or BOOLEAN");
        }
      }
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    if (dev.weir.tasks.sftp.SftpPath.isSftp(config.path())) {
      SftpInput.Local local = SftpInput.fetch(config, context);
      return read(local.path(), local.shown(), local.source(), config, context);
    }
    if (S3Path.isS3(config.path())) {
      S3Input.Local local = S3Input.fetch(config, context);
      S3Path from = S3Input.parse(config.path());
      return read(
          local.path(), local.shown(), DatasetRef.s3(from.bucket(), from.key()), config, context);
    }
    Path file = context.workDir().resolve(config.path()).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new TaskFailedException(
          "file.read: no file at "
              + file
              + " (path '"
              + config.path()
              + "', relative paths resolve against the flow file's directory "
              + context.workDir().toAbsolutePath()
              + ")");
    }
    if (!Files.isReadable(file)) {
      // waiting does not give Weir the right to read it: no retry
      throw TaskFailedException.permanent(
          "file.read: cannot read "
              + file
              + ": permission denied; give the user running Weir read access to it");
    }
    return read(file, file.toString(), DatasetRef.file(file), config, context);
  }

  /**
   * @param file a local file, or a glob over the files fetched from S3
   * @param shown how messages name the source
   * @param source the source as the audit trail and lineage name it
   */
  private static TaskResult read(
      Path file, String shown, DatasetRef source, Config config, TaskContext context)
      throws Exception {
    FileFormat format = FileFormat.of(config.format(), file);
    RejectLimit limit = RejectLimit.parse(config.maxRejected());
    var letters = context.deadLetters();
    if (letters.enabled() && config.maxRejected() != null) {
      throw TaskFailedException.permanent(
          "file.read: with deadLetter, set maxRejected under it (e.g. `deadLetter: {path: dead/,"
              + " maxRejected: "
              + config.maxRejected()
              + "}`), not beside it");
    }
    Path out = context.stagingDir().resolve("data.parquet");
    try (DuckSession duck = DuckSession.memory(context)) {
      Rejects.create(duck);
      long rows;
      try {
        rows =
            format == FileFormat.CSV
                ? CsvStage.stage(duck, file, shown, config, out)
                : TypedStage.stage(duck, file, format, config.schema(), out);
      } catch (SQLException e) {
        throw new TaskFailedException(
            "file.read could not read "
                + shown
                + " as "
                + format.name().toLowerCase(Locale.ROOT)
                + ": "
                + DuckErrors.shorten(Sql.message(e)),
            false,
            Map.of(),
            e);
      }
      long rejected = Rejects.rows(duck);
      Path rejectedCsv = context.stagingDir().resolve("rejected.csv");
      var outputs = new LinkedHashMap<String, Object>();
      outputs.put("rejected", rejected);
      outputs.put("rejectedPath", rejected > 0 ? rejectedCsv.toAbsolutePath().toString() : "");
      letters.handled(rows + rejected);
      if (rejected > 0 && letters.enabled()) {
        // the dead letters judge maxRejected when the attempt ends; rejected.csv stays for habit
        Rejects.write(duck, rejectedCsv);
        Rejects.setAside(duck, letters);
      } else if (rejected > 0) {
        Rejects.write(duck, rejectedCsv);
        long total = rows + rejected;
        if (limit.exceededBy(rejected, total)) {
          outputs.put("rows", rows);
          throw new TaskFailedException(
              tooMany(shown, rejected, total, limit, Rejects.first(duck, 3), rejectedCsv),
              false,
              outputs,
              null);
        }
        context
            .logger()
            .warn(
                "file.read rejected "
                    + rejected
                    + " of "
                    + total
                    + " rows of "
                    + shown
                    + " (maxRejected "
                    + limit
                    + "); they are in "
                    + rejectedCsv.toAbsolutePath());
      }
      Dataset dataset = duck.dataset(context.taskId(), out);
      if (config.contract() != null) {
        outputs.put("drift", config.contract().check(dataset, context));
      }
      long bytes = bytes(file);
      Audit audit =
          Audit.NONE
              .read(rows + rejected)
              .rejected(rejected)
              .bytesRead(bytes)
              .input(source.withRows(rows + rejected).withBytes(bytes));
      return TaskResult.of(dataset, outputs).withAudit(audit);
    }
  }

  /** Size of the file, or of the files a glob over one folder (fetched from S3) matches. */
  private static long bytes(Path file) throws java.io.IOException {
    long sum = 0;
    for (Path f : SourceFiles.of(file)) {
      sum += Files.size(f);
    }
    return sum;
  }

  private static String tooMany(
      String file, long rejected, long total, RejectLimit limit, List<String> first, Path csv) {
    var sb = new StringBuilder();
    sb.append("file.read rejected ")
        .append(rejected)
        .append(" of ")
        .append(total)
        .append(" rows of ")
        .append(file)
        .append(", more than maxRejected ")
        .append(limit)
        .append(" allows; first problems:");
    for (String line : first) {
      sb.append("\n  ").append(line);
    }
    sb.append("\nAll rejected rows are in ")
        .append(csv.toAbsolutePath())
        .append(". Fix the data, or raise maxRejected (e.g. `maxRejected: 5%`) to load the rows")
        .append(" that fit.");
    return sb.toString();
  }
}
