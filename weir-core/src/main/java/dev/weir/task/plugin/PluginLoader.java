package dev.weir.task.plugin;

import dev.weir.task.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads the plugin jars of some {@link PluginDir}s, each in a class loader of its own. A jar that
 * cannot be used (not a jar, no services file, a class that does not load, a type name that is
 * taken) is skipped whole with the reason, and loading goes on with the next one.
 */
public final class PluginLoader {
  static final String SERVICES = "META-INF/services/" + TaskType.class.getName();
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  // a services file listing thousands of names is not a plugin; bounds a loop over broken ones
  private static final int MAX_PROVIDERS = 1000;
  private static final String BUILT_IN = "built in";

  /** Who has each type name: "built in" or the jar that has it. */
  private final Map<String, String> owners = new HashMap<>();

  private final List<PluginJar> loaded = new ArrayList<>();
  private final List<SkippedJar> skipped = new ArrayList<>();
  private final Set<Path> seen = new HashSet<>();

  private PluginLoader(Set<String> builtIns) {
    builtIns.forEach(n -> owners.put(n, BUILT_IN));
  }

  /**
   * Loads every jar of {@code dirs} (in their order, each directory's jars by file name).
   *
   * @param builtIns the names of Weir's own task types, which no plugin may take
   */
  public static Plugins load(List<PluginDir> dirs, Set<String> builtIns) {
    var loader = new PluginLoader(builtIns);
    for (PluginDir d : dirs) {
      loader.loadDir(d);
    }
    return new Plugins(dirs, loader.loaded, loader.skipped);
  }

  private void loadDir(PluginDir d) {
    Path p = d.path();
    if (Files.isRegularFile(p)) {
      loadJar(p, d);
      return;
    }
    if (!Files.isDirectory(p)) {
      return; // an absent directory: nothing to load
    }
    List<Path> jars;
    try (Stream<Path> list = Files.list(p)) {
      jars =
          list.filter(f -> f.getFileName().toString().endsWith(".jar"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      skipped.add(new SkippedJar(p, "cannot list the directory: " + e));
      return;
    }
    jars.forEach(j -> loadJar(j, d));
  }

  private void loadJar(Path jar, PluginDir from) {
    if (!seen.add(realPath(jar))) {
      return; // named twice (a directory and the jar in it): loaded once
    }
    String unusable = checkJar(jar);
    if (unusable != null) {
      skipped.add(new SkippedJar(jar, unusable));
      return;
    }
    PluginClassLoader cl;
    try {
      cl = new PluginClassLoader(jar, TaskType.class.getClassLoader());
    } catch (IOException e) {
      skipped.add(new SkippedJar(jar, "cannot open: " + e));
      return;
    }
    var problems = new ArrayList<String>();
    var types = new LinkedHashMap<String, TaskType<?>>();
    for (TaskType<?> t : instantiate(cl, problems)) {
      String problem = checkType(t, types);
      if (problem != null) {
        problems.add(problem);
      } else {
        types.put(t.name(), t);
      }
    }
    if (problems.isEmpty() && types.isEmpty()) {
      problems.add(SERVICES + " names no task type; list the jar's TaskType classes in it");
    }
    if (!problems.isEmpty()) {
      close(cl);
      skipped.add(new SkippedJar(jar, String.join("; ", problems)));
      return;
    }
    types.keySet().forEach(n -> owners.put(n, jar.toString()));
    loaded.add(new PluginJar(jar, from, List.copyOf(types.values())));
  }

  /** Why the file is no plugin jar, or null when it is a jar with a services file. */
  private static String checkJar(Path jar) {
    try (var f = new JarFile(jar.toFile(), false)) {
      if (f.getEntry(SERVICES) == null) {
        return "no "
            + SERVICES
            + " in it, so Weir cannot tell which task types it has: list the jar's TaskType"
            + " classes there, one per line (docs/plugins.md); a library the plugin needs goes"
            + " inside the plugin's jar, not beside it";
      }
      return null;
    } catch (IOException | SecurityException e) {
      return "not a readable jar ("
          + e.getMessage()
          + "); replace it with the jar as the plugin's build made it";
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<TaskType<?>> instantiate(ClassLoader cl, List<String> problems) {
    var out = new ArrayList<TaskType<?>>();
    Iterator<TaskType> it = ServiceLoader.load(TaskType.class, cl).iterator();
    // the iterator goes on after a provider fails, so every broken class is reported at once
    for (int i = 0; i < MAX_PROVIDERS; i++) {
      try {
        if (!it.hasNext()) {
          break;
        }
        out.add(it.next());
      } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
        problems.add(LoadFailures.describe(e));
      }
    }
    return out;
  }

  /** Why {@code t} cannot be registered, or null. */
  private String checkType(TaskType<?> t, Map<String, TaskType<?>> sameJar) {
    String cls = t.getClass().getName();
    String name;
    try {
      name = t.name();
      if (t.configType() == null) {
        return cls + ".configType() returned null; return the config record's class";
      }
    } catch (RuntimeException | LinkageError e) {
      return cls + " failed when asked its name or config type: " + LoadFailures.describe(e);
    }
    if (name == null || !TYPE_NAME.matcher(name).matches()) {
      return cls
          + " has the type name '"
          + name
          + "': use letters, digits, '.', '_' and '-', e.g. com.acme.sftp.upload";
    }
    if (sameJar.containsKey(name)) {
      return "two of its classes are named '"
          + name
          + "': "
          + sameJar.get(name).getClass().getName()
          + " and "
          + cls;
    }
    String owner = owners.get(name);
    if (owner == null) {
      return null;
    }
    return "task type '"
        + name
        + "' ("
        + cls
        + ") "
        + (owner.equals(BUILT_IN)
            ? "is the name of a built-in task type"
            : "is already in " + owner + ", loaded first")
        + "; give the plugin's type a name of its own, prefixed with your organisation's"
        + " reversed domain (e.g. com.acme.sftp.upload)";
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  private static void close(PluginClassLoader cl) {
    try {
      cl.close();
    } catch (IOException e) {
      // only the jar's file handle: nothing to tell the user about
    }
  }
}
