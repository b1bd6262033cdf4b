package dev.weir.deadletter;

import java.util.function.UnaryOperator;

/**
 * A task's {@code deadLetter:} setting: where the records it sets aside go, and how many it may set
 * aside. Exactly one of {@code path} and {@code table} is set.
 *
 * @param path a directory (relative to the flow's directory) or an {@code s3://bucket/prefix/}
 * @param table a table of {@code connection}, created when missing
 * @param connection the S3 connection of an {@code s3://} path, or the JDBC connection of a table
 * @param maxRejected as written ({@code 100}, {@code 5%}); null means 0
 */
public record DeadLetterSpec(String path, String table, String connection, String maxRejected) {
  public static final java.util.List<String> KEYS =
      java.util.List.of("path", "table", "connection", "maxRejected");

  public MaxRejected limit() {
    return MaxRejected.parse(maxRejected);
  }

  public boolean isTable() {
    return table != null;
  }

  public boolean isS3() {
    return path != null && path.startsWith("s3://");
  }

  /** This setting with each text rendered (templates such as {@code {{ flow.id }}}). */
  public DeadLetterSpec map(UnaryOperator<String> render) {
    return new DeadLetterSpec(
        path == null ? null : render.apply(path),
        table == null ? null : render.apply(table),
        connection == null ? null : render.apply(connection),
        maxRejected == null ? null : render.apply(maxRejected));
  }
}
