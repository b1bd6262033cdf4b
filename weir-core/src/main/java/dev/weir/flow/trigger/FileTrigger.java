package dev.weir.flow.trigger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Fires once per new file matching a glob, polled every {@code interval}.
 *
 * @param path a glob: absolute ({@code /data/in/*.csv}), relative to the flow file's folder ({@code
 *     incoming/**}{@code /*.json}), on S3 ({@code s3://bucket/prefix/*.csv}) or on an SFTP server
 *     ({@code sftp://partner/outgoing/*.csv})
 * @param connection the S3 connection for an {@code s3://} path (null for the default credentials),
 *     or the SFTP connection for an {@code sftp://} path (null for the name after sftp://); always
 *     null for a local path
 * @param moveTo where {@link OnProcessed#MOVE} puts files (a folder, an {@code s3://} prefix for an
 *     S3 path, an {@code sftp://} directory for an SFTP path); null otherwise
 */
public record FileTrigger(
    String id,
    String path,
    String connection,
    Duration interval,
    OnProcessed onProcessed,
    String moveTo,
    Map<String, String> inputs,
    boolean disabled)
    implements TriggerDef {
  public static final String TYPE = "file";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  public FileTrigger {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    interval = interval == null ? DEFAULT_INTERVAL : interval;
    onProcessed = onProcessed == null ? OnProcessed.KEEP : onProcessed;
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw new IllegalArgumentException("interval must be at least 1s, got " + interval);
    }
    if ((onProcessed == OnProcessed.MOVE) != (moveTo != null)) {
      throw new IllegalArgumentException("moveTo goes with onProcessed MOVE, and only with it");
    }
    inputs = TriggerDef.copy(inputs);
  }

  @Override
  public String type() {
    return TYPE;
  }

  public boolean isS3() {
    return isS3(path);
  }

  static boolean isS3(String path) {
    return path.startsWith("s3://");
  }

  public boolean isSftp() {
    return isSftp(path);
  }

  static boolean isSftp(String path) {
    return path.startsWith("sftp://");
  }

  /** Where a path is: {@code s3}, {@code sftp} or {@code local}. */
  static String store(String path) {
    return isS3(path) ? "s3" : isSftp(path) ? "sftp" : "local";
  }

  /** The glob with a relative local path resolved against the flow file's folder. */
  public String resolvedPath(Path flowDir) {
    return isS3() || isSftp() || Path.of(path).isAbsolute()
        ? path
        : flowDir.resolve(path).toString();
  }
}
