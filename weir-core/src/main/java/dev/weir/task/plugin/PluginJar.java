package dev.weir.task.plugin;

import dev.weir.task.TaskType;
import java.nio.file.Path;
import java.util.List;

/**
 * A plugin jar that loaded, in a class loader of its own.
 *
 * @param jar the jar file
 * @param from where it was found
 * @param types its task types, by their names' order in the jar's services file
 */
public record PluginJar(Path jar, PluginDir from, List<TaskType<?>> types) {
  public PluginJar {
    types = List.copyOf(types);
  }
}
