package dev.weir.tasks.sftp;

import dev.weir.task.Audit;
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

/**
 * Downloads one remote file, or every file under a directory or matching a glob, to local files.
 * Each file goes through {@code <name>.part}, which a retry continues.
 */
public final class SftpDownloadTask implements TaskType<SftpDownloadTask.Config> {
  /**
   * @param from a remote file, a directory ending in /, or a glob such as {@code
   *     sftp://partner/outgoing/*.csv}
   * @param to a file for one remote file; a directory (created if needed) for a directory or glob,
   *     or when it ends in /
   * @param connection an sftp connection from weir.yaml; when absent, the name after sftp://
   */
  public record Config(
      @Required(example = "sftp://partner/outgoing/orders.csv") String from,
      @Required(example = "in/orders.csv") String to,
      String connection) {}

  @Override
  public String name() {
    return "sftp.download";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    SftpChecks.remote("from", config.from(), config.connection(), problems);
    SftpChecks.local("to", config.to(), "in/orders.csv", problems);
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    SftpPath from = SftpChecks.parse(name(), "from", config.from());
    Path to = context.workDir().resolve(config.to()).toAbsolutePath().normalize();
    boolean many = !from.isFile();
    boolean intoDirectory = many || config.to().endsWith("/") || Files.isDirectory(to);
    var paths = new ArrayList<String>();
    long bytes = 0;
    long fetched = 0;
    try (SftpSession sftp = SftpSession.open(context, name(), config.connection(), from)) {
      List<SftpEntry> files = sftp.select(from);
      if (files.isEmpty()) {
        throw TaskFailedException.permanent(
            name()
                + ": "
                + (many
                    ? "no files match "
                        + from
                        + "; check the directory or glob (* stays within one /-separated segment,"
                        + " ** crosses them, e.g. sftp://partner/outgoing/**/*.csv)"
                    : "there is no file " + from + "; check the path, or list with sftp.list"));
      }
      for (SftpEntry file : files) {
        Path target =
            !intoDirectory
                ? to
                : local(to, many ? file.path().substring(from.base().length()) : from.fileName());
        fetched += sftp.download(file, target);
        bytes += file.size();
        paths.add(target.toString());
      }
      context
          .logger()
          .info(
              "downloaded "
                  + paths.size()
                  + " file(s), "
                  + bytes
                  + " bytes"
                  + (fetched < bytes
                      ? " (" + (bytes - fetched) + " of them by earlier tries)"
                      : ""));
      var outputs = new LinkedHashMap<String, Object>();
      outputs.put("path", to.toString());
      outputs.put("paths", paths);
      outputs.put("count", paths.size());
      outputs.put("bytes", bytes);
      Audit audit =
          Audit.NONE
              .bytesRead(fetched)
              .bytesWritten(fetched)
              .input(sftp.dataset(from.path()).withBytes(bytes))
              .output(dev.weir.task.DatasetRef.file(to).withBytes(bytes));
      return TaskResult.of(outputs).withAudit(audit);
    }
  }

  /** Where a remote path's relative part lands under {@code dir}; never outside it. */
  static Path local(Path dir, String relative) {
    Path target = dir.resolve(relative).normalize();
    if (!target.startsWith(dir) || target.equals(dir)) {
      throw TaskFailedException.permanent(
          "remote path part '"
              + relative
              + "' would be written outside "
              + dir
              + "; narrow the directory or glob to paths without '..' segments");
    }
    return target;
  }
}
