package dev.weir.tasks.models;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The per-folder config of {@code dbt_project.yml}'s {@code models:} (or {@code seeds:}) tree, as
 * dbt reads it: {@code models: {jaffle_shop: {+materialized: table, staging: {+materialized:
 * view}}}}. Keys with {@code +}, and bare keys that are dbt config names, are config; other keys
 * are folders (the last level may name the file). Deeper levels win; tags add up.
 */
final class FolderConfigs {
  private final JsonNode tree;
  private final String project;

  FolderConfigs(JsonNode tree, String project) {
    this.tree = tree;
    this.project = project;
  }

  /**
   * The config for a file at {@code folders} (relative to its model path, e.g. [staging]) named
   * {@code stem} (the file name without .sql).
   */
  NodeConfig forFile(List<String> folders, String stem) {
    NodeConfig c = apply(NodeConfig.EMPTY, tree);
    JsonNode level = tree.path(project);
    c = apply(c, level);
    for (String folder : folders) {
      level = level.path(folder);
      c = apply(c, level);
    }
    return apply(c, level.path(stem));
  }

  /** The raw value of a config key for a file (e.g. a seed's {@code column_types}), or null. */
  JsonNode raw(List<String> folders, String stem, String key) {
    JsonNode found = value(tree, key);
    JsonNode level = tree.path(project);
    found = pick(value(level, key), found);
    for (String folder : folders) {
      level = level.path(folder);
      found = pick(value(level, key), found);
    }
    return pick(value(level.path(stem), key), found);
  }

  private static JsonNode pick(JsonNode a, JsonNode b) {
    return a != null ? a : b;
  }

  private static JsonNode value(JsonNode level, String key) {
    if (!level.isObject()) {
      return null;
    }
    if (level.has("+" + key)) {
      return level.get("+" + key);
    }
    return level.get(key);
  }

  private static NodeConfig apply(NodeConfig c, JsonNode level) {
    if (!level.isObject()) {
      return c;
    }
    var it = level.fields();
    while (it.hasNext()) {
      var e = it.next();
      String key = e.getKey();
      if (isConfigKey(key)) {
        c = c.withKey(key, JsonValues.plain(e.getValue()));
      }
    }
    return c;
  }

  static boolean isConfigKey(String key) {
    String k = key.startsWith("+") ? key.substring(1) : key;
    return key.startsWith("+") || NodeConfig.KEYS.contains(k);
  }
}
