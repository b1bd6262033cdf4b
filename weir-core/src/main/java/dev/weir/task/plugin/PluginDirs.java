package dev.weir.task.plugin;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where plugin jars are looked for, in this order (docs/plugins.md, "Where the jar goes"):
 *
 * <ol>
 *   <li>{@code plugins/} beside the project's {@code weir.yaml};
 *   <li>each entry of {@code $WEIR_PLUGINS}, a list of directories or jars separated by {@link
 *       File#pathSeparator};
 *   <li>each entry of the system property {@code weir.plugins.dirs}, the same kind of list, which a
 *       packaged install's launcher sets to its own {@code plugins/}.
 * </ol>
 *
 * When two jars name the same task type, the one found first wins and the other is skipped.
 */
public final class PluginDirs {
  public static final String DIR_NAME = "plugins";
  public static final String ENV = "WEIR_PLUGINS";
  public static final String PROPERTY = "weir.plugins.dirs";
  static final String PROJECT_FILE = "weir.yaml";

  private PluginDirs() {}

  /**
   * The places to look.
   *
   * @param projectDir the directory of the project's {@code weir.yaml}, or null when there is none
   * @param envList {@code $WEIR_PLUGINS}, or null
   * @param resolve makes a relative entry of {@code $WEIR_PLUGINS} absolute (against the directory
   *     the command started in)
   */
  public static List<PluginDir> of(Path projectDir, String envList, UnaryOperator<Path> resolve) {
    // one entry per path: $WEIR_PLUGINS naming the project's plugins/ must not load it twice
    Map<Path, PluginDir> dirs = new LinkedHashMap<>();
    if (projectDir != null) {
      add(
          dirs,
          new PluginDir(
              projectDir.resolve(DIR_NAME), "beside " + projectDir.resolve(PROJECT_FILE)));
    }
    for (String entry : split(envList)) {
      add(dirs, new PluginDir(resolve.apply(Path.of(entry)), "from $" + ENV));
    }
    for (String entry : split(System.getProperty(PROPERTY))) {
      add(dirs, new PluginDir(Path.of(entry), "from -D" + PROPERTY));
    }
    return List.copyOf(dirs.values());
  }

  private static void add(Map<Path, PluginDir> dirs, PluginDir d) {
    dirs.putIfAbsent(d.path(), d);
  }

  private static List<String> split(String list) {
    var out = new ArrayList<String>();
    if (list == null) {
      return out;
    }
    for (String s : list.split(File.pathSeparator)) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /**
   * The directory of the nearest {@code weir.yaml} in or above the first start that has one (the
   * same search that finds the home and the connections).
   */
  public static Optional<Path> projectDir(List<Path> starts) {
    for (Path start : starts) {
      if (start == null) {
        continue;
      }
      for (Path d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
        if (Files.isRegularFile(d.resolve(PROJECT_FILE))) {
          return Optional.of(d);
        }
      }
    }
    return Optional.empty();
  }
}
