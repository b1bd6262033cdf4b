package dev.weir.task.plugin;

import java.util.List;

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
}
