package dev.weir.tasks.file;

import dev.weir.expr.Expressions;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.s3.S3Entry;
import dev.weir.tasks.s3.S3Path;
import dev.weir.tasks.s3.S3Session;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings what an {@code s3://} path of file.read names into the task's staging directory, since
 * DuckDB cannot read S3 here: one object as one file, a prefix or glob as numbered files that one
 * local glob reads together.
 */
final class S3Input {
  // the extension DuckDB reads a file by, with the compression suffix it looks past
  private static final Pattern EXTENSION = Pattern.compile("(\\.[^./]+)(\\.(gz|zst))?$");

  /** Where the data now is, and how messages should name where it came from. */
  record Local(Path path, String shown) {}

  private S3Input() {}

  /** Problems with the {@code path} and {@code connection} of file.read or file.write. */
  static void check(String path, String connection, String example, List<String> problems) {
    if (path == null || Expressions.isTemplate(path)) {
      return;
    }
    if (!S3Path.isS3(path)) {
      if (connection != null) {
        problems.add(
            "connection '"
                + connection
                + "' is only used with s3:// paths, and path '"
                + path
                + "' is local; remove connection, or write e.g. `path:"
                + " s3://lake/"
                + example
                + "`");
      }
      return;
    }
    try {
      S3Path.parse(path);
    } catch (IllegalArgumentException e) {
      problems.add("path: " + e.getMessage());
    }
  }

  static S3Path parse(String path) {
    try {
      return S3Path.parse(path);
    } catch (IllegalArgumentException e) {
      throw TaskFailedException.permanent("path: " + e.getMessage());
    }
  }

  static Local fetch(FileReadTask.Config config, TaskContext context) throws IOException {
    S3Path from = parse(config.path());
    Path dir = context.stagingDir().resolve("s3");
    try (S3Session s3 = S3Session.open(context, "file.read", config.connection())) {
      if (from.isObject()) {
        Path file = dir.resolve(from.fileName());
        s3.download(from, file);
        return new Local(file, from.toString());
      }
      List<S3Entry> objects = s3.select(from);
      if (objects.isEmpty()) {
        throw TaskFailedException.permanent(
            "file.read: no objects match "
                + from
                + "; check the prefix or glob (a glob's * stays within one /-separated segment,"
                + " ** crosses them, e.g. s3://lake/orders/**/*.csv)");
      }
      String extension = config.format() == null ? sameExtension(from, objects) : "";
      int n = 0;
      for (S3Entry o : objects) {
        String name = o.key().substring(o.key().lastIndexOf('/') + 1);
        // numbered, because keys under different prefixes may share a name
        s3.download(o.path(), dir.resolve(String.format("%06d-%s", ++n, name)));
      }
      context.logger().info("file.read fetched " + n + " object(s) matching " + from);
      return new Local(
          dir.resolve("*" + extension), from + " (" + n + (n == 1 ? " object)" : " objects)"));
    }
  }

  /** The extension every object shares; the local glob reads by it. */
  private static String sameExtension(S3Path from, List<S3Entry> objects) {
    String first = extension(objects.getFirst().key());
    for (S3Entry o : objects) {
      if (!extension(o.key()).equals(first)) {
        throw TaskFailedException.permanent(
            "file.read: "
                + from
                + " matches objects with different extensions ("
                + objects.getFirst().path()
                + " and "
                + o.path()
                + "); narrow it with a glob, e.g. "
                + from.withKey(from.base() + "*" + (first.isEmpty() ? ".csv" : first))
                + ", or set `format:` to read them all alike");
      }
    }
    return first;
  }

  private static String extension(String key) {
    Matcher m = EXTENSION.matcher(key.substring(key.lastIndexOf('/') + 1));
    return m.find() ? m.group() : "";
  }
}
