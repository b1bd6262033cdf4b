package dev.weir.server;

import dev.weir.task.TaskRegistry;
import dev.weir.task.TaskType;
import dev.weir.task.plugin.PluginDirs;
import dev.weir.task.plugin.PluginJar;
import dev.weir.task.plugin.SkippedJar;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's task types: the built-in ones and the plugins (docs/plugins.md) of the project whose
 * {@code weir.yaml} is in or above the flows directory, of {@code $WEIR_PLUGINS} and of {@code
 * -Dweir.plugins.dirs}. Each jar loaded is logged; a jar skipped is a warning with its path and
 * why, and the server starts without it.
 */
final class ServerTaskTypes {
  private static final Logger log = LoggerFactory.getLogger(ServerTaskTypes.class);

  private ServerTaskTypes() {}

  static TaskRegistry load(ServerOptions options) {
    Path project = PluginDirs.projectDir(List.of(options.deployDir())).orElse(null);
    TaskRegistry registry =
        TaskRegistry.load(
            PluginDirs.of(
                project,
                options.environment().get(PluginDirs.ENV),
                p -> p.toAbsolutePath().normalize()));
    for (PluginJar j : registry.plugins().loaded()) {
      log.info(
          "plugin {}: task types {}",
          j.jar(),
          String.join(", ", j.types().stream().map(TaskType::name).toList()));
    }
    for (SkippedJar s : registry.plugins().skipped()) {
      log.warn(s.message());
    }
    return registry;
  }
}
