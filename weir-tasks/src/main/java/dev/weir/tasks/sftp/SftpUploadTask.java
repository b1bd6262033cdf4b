package dev.weir.tasks.sftp;

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

/**
 * Uploads a local file, or every file under a local directory, to an SFTP server. Each file is
 * written as {@code .<name>.weir-tmp} and renamed when complete, replacing a file of the same name.
 */
public final class SftpUploadTask implements TaskType<SftpUploadTask.Config> {
  /**
   * @param from a file or directory, relative to the flow file's directory
   * @param to a remote file, or a directory (ending in /) the file names are appended to; a local
   *     directory always goes to a remote directory
   * @param connection an sftp connection from weir.yaml; when absent, the name after sftp://
   */
  public record Config(
      @Required(example = "out/orders.csv") String from,
      @Required(example = "sftp://partner/incoming/orders.csv") String to,
      String connection) {}

  @Override
  public String name() {
    return "sftp.upload";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    SftpChecks.local("from", config.from(), "out/orders.csv", problems);
    SftpChecks.remote("to", config.to(), config.connection(), problems);
    if (config.to() != null && !dev.weir.expr.Expressions.isTemplate(config.to())) {
      try {
        if (SftpPath.parse(config.to()).hasGlob()) {
          problems.add(
              "to '"
                  + config.to()
                  + "' holds a glob character (*, ? or [); write a file or a directory, e.g. `to:"
                  + " sftp://partner/incoming/`");
        }
      } catch (IllegalArgumentException e) {
        // reported by remote()
      }
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Path from = context.workDir().resolve(config.from()).toAbsolutePath().normalize();
    SftpPath to = SftpChecks.parse(name(), "to", config.to());
    List<Path> files = files(from, config);
    boolean directory = Files.isDirectory(from);
    boolean toDirectory = directory || to.path().endsWith("/");
    String prefix = to.path().endsWith("/") ? to.path() : to.path() + "/";
    var paths = new ArrayList<String>();
    long bytes = 0;
    try (SftpSession sftp = SftpSession.open(context, name(), config.connection(), to)) {
      for (Path file : files) {
        String remote =
            directory
                ? prefix + from.relativize(file).toString().replace('\\', '/')
                : toDirectory ? prefix + file.getFileName() : to.path();
        long size = sftp.upload(file, remote);
        bytes += size;
        paths.add(remote);
        context.logger().info("uploaded " + file + " to " + remote + " (" + size + " bytes)");
      }
      var outputs = new LinkedHashMap<String, Object>();
      String written = toDirectory ? prefix : to.path();
      outputs.put("uri", to.withPath(written).toString());
      outputs.put("paths", paths);
      outputs.put("count", paths.size());
      outputs.put("bytes", bytes);
      Audit audit =
          Audit.NONE
              .bytesRead(bytes)
              .bytesWritten(bytes)
              .input(DatasetRef.file(from).withBytes(bytes))
              .output(sftp.dataset(written).withBytes(bytes));
      return TaskResult.of(outputs).withAudit(audit);
    }
  }

  private List<Path> files(Path from, Config config) throws Exception {
    if (Files.isRegularFile(from)) {
      return List.of(from);
    }
    if (!Files.isDirectory(from)) {
      throw TaskFailedException.permanent(
          name()
              + ": no file or directory at "
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
