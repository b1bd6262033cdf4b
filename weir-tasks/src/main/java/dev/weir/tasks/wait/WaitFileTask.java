package dev.weir.tasks.wait;

import dev.weir.expr.Expressions;
import dev.weir.flow.Durations;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.s3.S3Path;
import dev.weir.tasks.s3.S3Session;
import dev.weir.tasks.sftp.SftpPath;
import dev.weir.tasks.sftp.SftpSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A sensor that waits until files exist: on the local disk (a path or glob relative to the flow's
 * folder), on S3 ({@code s3://}) or on an SFTP server ({@code sftp://}). With {@code stableFor}, a
 * file counts only once it has not been modified for that long, so that a file still being written
 * is not taken.
 */
public final class WaitFileTask implements TaskType<WaitFileTask.Config> {
  /**
   * @param path a file, a folder ending in {@code /}, or a glob; local, {@code s3://} or {@code
   *     sftp://}
   * @param connection the S3 or SFTP connection of weir.yaml for an {@code s3://} or {@code
   *     sftp://} path
   * @param minCount how many files must be there, default 1
   * @param stableFor a file counts only when last modified at least this long ago
   * @param interval time between checks, default 30s
   */
  public record Config(
      @Required(example = "incoming/orders-*.csv") String path,
      String connection,
      Integer minCount,
      Duration stableFor,
      Duration interval) {}

  @Override
  public String name() {
    return "wait.file";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    String path = config.path();
    if (path != null && !Expressions.isTemplate(path)) {
      try {
        if (S3Path.isS3(path)) {
          S3Path.parse(path);
        } else if (SftpPath.isSftp(path)) {
          SftpPath.parse(path);
        } else if (path.isBlank() || path.contains("://")) {
          problems.add(
              "path '"
                  + path
                  + "' is not a local path, an s3:// or an sftp:// address; write e.g."
                  + " incoming/orders-*.csv, s3://lake/in/*.csv or sftp://partner/outgoing/");
        } else if (config.connection() != null) {
          problems.add(
              "connection names the S3 or SFTP connection of an s3:// or sftp:// path, but path '"
                  + path
                  + "' is local; remove connection");
        }
      } catch (IllegalArgumentException e) {
        problems.add("path: " + e.getMessage());
      }
    }
    if (config.minCount() != null && config.minCount() < 1) {
      problems.add("minCount must be at least 1, got " + config.minCount());
    }
    if (config.stableFor() != null && config.stableFor().isNegative()) {
      problems.add("stableFor must not be negative; use e.g. `stableFor: 1m`");
    }
    Sensors.checkInterval(config.interval(), problems);
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Duration interval = Sensors.interval(config.interval());
    int minCount = config.minCount() == null ? 1 : config.minCount();
    List<Found> all;
    try {
      all = list(config, context);
    } catch (TaskFailedException e) {
      if (e.connectionFailure()) {
        throw Sensors.unreachable(context, interval, name(), e);
      }
      throw e;
    }
    List<Found> ready = all;
    if (config.stableFor() != null && !config.stableFor().isZero()) {
      Instant settled = context.clock().instant().minus(config.stableFor());
      ready =
          all.stream().filter(f -> f.modified() == null || !f.modified().isAfter(settled)).toList();
    }
    if (ready.size() < minCount) {
      throw Sensors.notYet(context, interval, missing(config, all.size(), ready.size(), minCount));
    }
    List<String> files = ready.stream().map(Found::path).toList();
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("files", files);
    outputs.put("count", files.size());
    context
        .logger()
        .info(context.mask("wait.file: " + files.size() + " file(s) match " + config.path()));
    return TaskResult.of(outputs);
  }

  private List<Found> list(Config config, TaskContext context) throws Exception {
    String path = config.path();
    if (S3Path.isS3(path)) {
      S3Path s3path = parse(() -> S3Path.parse(path));
      try (S3Session s3 = S3Session.open(context, name(), config.connection())) {
        return s3.select(s3path).stream()
            .map(e -> new Found(e.path().toString(), e.size(), e.lastModified()))
            .toList();
      }
    }
    if (SftpPath.isSftp(path)) {
      SftpPath sftpPath = parse(() -> SftpPath.parse(path));
      try (SftpSession sftp = SftpSession.open(context, name(), config.connection(), sftpPath)) {
        return sftp.select(sftpPath).stream()
            .map(e -> new Found(sftpPath.withPath(e.path()).toString(), e.size(), e.lastModified()))
            .toList();
      }
    }
    return LocalGlob.list(context.workDir(), path);
  }

  private <T> T parse(java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      throw TaskFailedException.permanent(name() + " path: " + e.getMessage());
    }
  }

  private static String missing(Config config, int matching, int stable, int minCount) {
    String want = minCount == 1 ? "a file" : minCount + " files";
    if (matching == stable) {
      return "wait.file: "
          + (matching == 0 ? "no file matches " : matching + " file(s) match ")
          + config.path()
          + (minCount == 1 ? "" : ", waiting for " + want);
    }
    return "wait.file: "
        + matching
        + " file(s) match "
        + config.path()
        + " but only "
        + stable
        + " unchanged for "
        + Durations.format(config.stableFor())
        + " (stableFor), waiting for "
        + want;
  }
}
