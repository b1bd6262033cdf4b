package dev.weir.task;

import dev.weir.WeirException;
import dev.weir.task.plugin.PluginDir;
import dev.weir.task.plugin.PluginJar;
import dev.weir.task.plugin.PluginLoader;
import dev.weir.task.plugin.Plugins;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The task types: Weir's own, found on the class path through {@link ServiceLoader}, and those of
 * plugin jars ({@link #load(List)}, docs/plugins.md). Both kinds are looked up alike.
 */
public final class TaskRegistry {
  private final Map<String, TaskType<?>> types;
  private final Plugins plugins;

  public TaskRegistry(Iterable<TaskType<?>> types) {
    this(types, Plugins.NONE);
  }

  private TaskRegistry(Iterable<TaskType<?>> builtIns, Plugins plugins) {
    var m = new TreeMap<String, TaskType<?>>();
    for (TaskType<?> t : builtIns) {
      put(m, t);
    }
    // the loader already skipped every plugin whose names are taken
    for (PluginJar jar : plugins.loaded()) {
      jar.types().forEach(t -> put(m, t));
    }
    this.types = Map.copyOf(m);
    this.plugins = plugins;
  }

  private static void put(Map<String, TaskType<?>> m, TaskType<?> t) {
    TaskType<?> old = m.put(t.name(), t);
    if (old != null) {
      throw new WeirException(
          "two task types are named '"
              + t.name()
              + "': "
              + old.getClass().getName()
              + " and "
              + t.getClass().getName());
    }
  }

  /** The built-in task types only. */
  public static TaskRegistry load() {
    return new TaskRegistry(builtIns());
  }

  /**
   * The built-in task types and those of the plugin jars in {@code dirs}. A jar that cannot be used
   * is skipped and listed in {@link #plugins()}; it never fails the load.
   */
  public static TaskRegistry load(List<PluginDir> dirs) {
    List<TaskType<?>> builtIns = builtIns();
    if (dirs.stream().noneMatch(PluginDir::exists)) {
      return new TaskRegistry(builtIns, new Plugins(dirs, List.of(), List.of()));
    }
    Set<String> names = new HashSet<>();
    builtIns.forEach(t -> names.add(t.name()));
    return new TaskRegistry(builtIns, PluginLoader.load(dirs, names));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<TaskType<?>> builtIns() {
    var out = new ArrayList<TaskType<?>>();
    out.add(new ForEachType()); // the engine's own: always there
    for (TaskType t : ServiceLoader.load(TaskType.class)) {
      out.add(t);
    }
    return out;
  }

  public TaskType<?> get(String name) {
    return types.get(name);
  }

  public Set<String> names() {
    return new java.util.TreeSet<>(types.keySet());
  }

  /** The plugin jars looked for, loaded and skipped ({@link Plugins#NONE} for built-ins only). */
  public Plugins plugins() {
    return plugins;
  }

  /**
   * For the error about an unknown type: the plugin jars that were skipped, one of which may have
   * had it; empty when none was.
   */
  public String skippedPluginsNote() {
    var skipped = plugins.skipped();
    if (skipped.isEmpty()) {
      return "";
    }
    return "; skipped plugin jars (see `weir plugins` for why): "
        + String.join(", ", skipped.stream().map(s -> s.jar().toString()).toList());
  }

  /** The plugin jar a type comes from; empty for a built-in type. */
  public Optional<PluginJar> pluginOf(String name) {
    return plugins.loaded().stream()
        .filter(j -> j.types().stream().anyMatch(t -> t.name().equals(name)))
        .findFirst();
  }
}
