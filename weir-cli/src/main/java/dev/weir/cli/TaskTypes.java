package dev.weir.cli;

import dev.weir.task.TaskRegistry;
import dev.weir.task.plugin.PluginDir;
import dev.weir.task.plugin.PluginDirs;
import dev.weir.task.plugin.SkippedJar;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The task types a command can use: the built-in ones and those of the project's plugins
 * (docs/plugins.md): {@code plugins/} beside the nearest {@code weir.yaml} upward from the flow,
 * then from the current directory; {@code $WEIR_PLUGINS}; {@code -Dweir.plugins.dirs}.
 */
final class TaskTypes {
  private TaskTypes() {}

  /**
   * @param flowDir the directory of the flow (or flows) the command works on, searched for the
   *     project before the current directory; null when it has none
   */
  static List<PluginDir> pluginDirs(Surroundings s, Path flowDir) {
    var starts = new ArrayList<Path>();
    if (flowDir != null) {
      starts.add(s.resolve(flowDir));
    }
    starts.add(s.cwd());
    Path project = PluginDirs.projectDir(starts).orElse(null);
    return PluginDirs.of(project, s.env(PluginDirs.ENV), s::resolve);
  }

  static TaskRegistry load(Surroundings s, Path flowDir) {
    return TaskRegistry.load(pluginDirs(s, flowDir));
  }

  /** Says on stderr which plugin jars were skipped and why; the command goes on without them. */
  static void warnSkipped(TaskRegistry registry, PrintWriter err) {
    List<SkippedJar> skipped = registry.plugins().skipped();
    for (SkippedJar j : skipped) {
      err.println("warning: " + j.message());
    }
    err.flush();
  }
}
