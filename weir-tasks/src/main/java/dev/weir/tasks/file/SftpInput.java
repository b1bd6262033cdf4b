package dev.weir.tasks.file;

import dev.weir.expr.Expressions;
import dev.weir.task.DatasetRef;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.sftp.SftpEntry;
import dev.weir.tasks.sftp.SftpPath;
import dev.weir.tasks.sftp.SftpSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings what an {@code sftp://} path of file.read names into the task's staging directory, as
 * {@link S3Input} does for S3: one file as one file, a directory or glob as numbered files that one
 * local glob reads together.
 */
final class SftpInput {
  private static final Pattern EXTENSION = Pattern.compile("(\\.[^./]+)(\\.(gz|zst))?$");

  /** Where the data now is, how messages name where it came from, and the lineage source. */
  record Local(Path path, String shown, DatasetRef source) {}

  private SftpInput() {}

  static void check(String path, List<String> problems) {
    if (path == null || Expressions.isTemplate(path)) {
      return;
    }
    try {
      SftpPath.parse(path);
    } catch (IllegalArgumentException e) {
      problems.add("path: " + e.getMessage());
    }
  }

  static Local fetch(FileReadTask.Config config, TaskContext context) throws IOException {
    SftpPath from;
    try {
      from = SftpPath.parse(config.path());
    } catch (IllegalArgumentException e) {
      throw TaskFailedException.permanent("file.read path: " + e.getMessage());
    }
    Path dir = context.stagingDir().resolve("sftp");
    try (SftpSession sftp = SftpSession.open(context, "file.read", config.connection(), from)) {
      DatasetRef source = sftp.dataset(from.path());
      List<SftpEntry> files = sftp.select(from);
      if (files.isEmpty()) {
        throw TaskFailedException.permanent(
            "file.read: "
                + (from.isFile()
                    ? "there is no file " + from + "; check the path, or list with sftp.list"
                    : "no files match "
                        + from
                        + "; check the directory or glob (* stays within one /-separated"
                        + " segment, ** crosses them, e.g. sftp://partner/outgoing/**.csv)"));
      }
      if (from.isFile()) {
        Path file = dir.resolve(from.fileName());
        sftp.download(files.getFirst(), file);
        return new Local(file, from.toString(), source);
      }
      String extension = config.format() == null ? sameExtension(from, files) : "";
      int n = 0;
      for (SftpEntry f : files) {
        // numbered, because files in different directories may share a name
        sftp.download(f, dir.resolve(String.format("%06d-%s", ++n, f.fileName())));
      }
      context.logger().info("file.read fetched " + n + " file(s) matching " + from);
      return new Local(
          dir.resolve("*" + extension), from + " (" + n + (n == 1 ? " file)" : " files)"), source);
    }
  }

  private static String sameExtension(SftpPath from, List<SftpEntry> files) {
    String first = extension(files.getFirst().fileName());
    for (SftpEntry f : files) {
      if (!extension(f.fileName()).equals(first)) {
        throw TaskFailedException.permanent(
            "file.read: "
                + from
                + " matches files with different extensions ("
                + files.getFirst().path()
                + " and "
                + f.path()
                + "); narrow it with a glob, e.g. "
                + from.withPath(from.base() + "*" + (first.isEmpty() ? ".csv" : first))
                + ", or set `format:` to read them all alike");
      }
    }
    return first;
  }

  private static String extension(String name) {
    Matcher m = EXTENSION.matcher(name);
    return m.find() ? m.group() : "";
  }
}
