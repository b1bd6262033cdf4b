package dev.weir.tasks.sftp;

import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes remote files: one file, every file under a directory, or the files a glob matches.
 * Directories themselves stay. A file that is already gone counts as deleted, so the task can run
 * again.
 */
public final class SftpDeleteTask implements TaskType<SftpDeleteTask.Config> {
  /**
   * @param path one remote path: a file, a directory ending in /, or a glob
   * @param paths several such paths, all on the same server; give path or paths
   * @param connection an sftp connection from weir.yaml; when absent, the name after sftp://
   */
  public record Config(String path, List<String> paths, String connection) {
    List<String> all() {
      return path != null ? List.of(path) : paths == null ? List.of() : paths;
    }
  }

  @Override
  public String name() {
    return "sftp.delete";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    if ((config.path() == null) == (config.paths() == null || config.paths().isEmpty())) {
      problems.add(
          (config.path() == null ? "neither path nor paths is given" : "both path and paths are")
              + "; give one: `path: sftp://partner/outgoing/done/` or `paths:"
              + " [sftp://partner/a.csv, sftp://partner/b.csv]`");
    }
    for (String p : config.all()) {
      SftpChecks.remote(config.path() != null ? "path" : "paths", p, config.connection(), problems);
      if (p != null && root(p)) {
        problems.add(wholeServer(p));
      }
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    var selected = new LinkedHashSet<String>();
    int missing = 0;
    List<SftpPath> paths = new ArrayList<>();
    for (String p : config.all()) {
      if (root(p)) {
        throw TaskFailedException.permanent(name() + ": " + wholeServer(p));
      }
      paths.add(SftpChecks.parse(name(), "path", p));
    }
    var deleted = new ArrayList<String>();
    try (SftpSession sftp =
        SftpSession.open(context, name(), config.connection(), paths.getFirst())) {
      for (SftpPath path : paths) {
        if (path.isFile()) {
          selected.add(path.path());
        } else {
          sftp.select(path).forEach(e -> selected.add(e.path()));
        }
      }
      for (String p : selected) {
        if (sftp.delete(p)) {
          deleted.add(p);
        } else {
          missing++;
        }
      }
    }
    context
        .logger()
        .info(
            "deleted "
                + deleted.size()
                + " file(s)"
                + (missing > 0 ? "; " + missing + " were already gone" : ""));
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("deleted", deleted);
    outputs.put("count", deleted.size());
    outputs.put("missing", missing);
    return TaskResult.of(outputs);
  }

  private static boolean root(String value) {
    try {
      String p = SftpPath.parse(value).path();
      return Set.of("/", "./", "").contains(p);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String wholeServer(String value) {
    return "'"
        + value
        + "' would delete every file on the server; name a directory, e.g."
        + " sftp://partner/outgoing/done/, or write /** if everything is meant";
  }
}
