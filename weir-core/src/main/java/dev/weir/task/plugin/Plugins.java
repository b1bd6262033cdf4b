package dev.weir.task.plugin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What plugin loading found: the places searched, the jars loaded and the jars skipped.
 *
 * @param dirs every place searched, whether or not it exists
 */
public record Plugins(List<PluginDir> dirs, List<PluginJar> loaded, List<SkippedJar> skipped) {
  /** No plugins looked for: only the built-in task types. */
  public static final Plugins NONE = new Plugins(List.of(), List.of(), List.of());

  public Plugins {
    dirs = List.copyOf(dirs);
    loaded = List.copyOf(loaded);
    skipped = List.copyOf(skipped);
  }

  /**
   * The listing of {@code weir plugins --json} and {@code GET /api/v1/plugins}: {@code dirs:
   * [{path, origin, exists}]}, {@code loaded: [{jar, from, types: [{name, class, config}]}]},
   * {@code skipped: [{jar, reason}]}.
   */
  public Map<String, Object> toMap() {
    var m = new LinkedHashMap<String, Object>();
    m.put(
        "dirs",
        dirs.stream()
            .map(d ->
                ordered("path", d.path().toString(), "origin", d.origin(), "exists", d.exists()))
            .toList());
    m.put(
        "loaded",
        loaded.stream()
            .map(j ->
                ordered(
                    "jar",
                    j.jar().toString(),
                    "from",
                    j.from().origin(),
                    "types",
                    j.types().stream()
                        .map(t ->
                            ordered(
                                "name",
                                t.name(),
                                "class",
                                t.getClass().getName(),
                                "config",
                                t.configType().getName()))
                        .toList()))
            .toList());
    m.put(
        "skipped",
        skipped.stream()
            .map(s -> ordered("jar", s.jar().toString(), "reason", s.reason()))
            .toList());
    return m;
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    var m = new LinkedHashMap<String, Object>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
