package dev.weir.tasks.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.weir.flow.YamlTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code dbt_project.yml} says: the project's name, where its files are, its {@code vars} and
 * the {@code models:} / {@code seeds:} config trees (read by {@link FolderConfigs}).
 */
record ProjectSettings(
    String name,
    List<String> modelPaths,
    List<String> seedPaths,
    List<String> testPaths,
    List<String> macroPaths,
    Map<String, Object> vars,
    JsonNode models,
    JsonNode seeds) {
  static final String FILE = "dbt_project.yml";

  static ProjectSettings read(Path root) {
    Path file = root.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new ModelsException(
          root + "/" + FILE,
          0,
          "no dbt_project.yml: give the folder of a dbt project (the one with dbt_project.yml)");
    }
    YamlTree tree = YamlFiles.read(root, file);
    JsonNode r = tree.root();
    String name = r.path("name").asText("");
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new ModelsException(
          tree.location("name"),
          "name: '"
              + name
              + "' is not a project name; give letters, digits and underscores, e.g. name:"
              + " jaffle_shop");
    }
    return new ProjectSettings(
        name,
        paths(r, "model-paths", "source-paths", "models"),
        paths(r, "seed-paths", "data-paths", "seeds"),
        paths(r, "test-paths", null, "tests"),
        paths(r, "macro-paths", null, "macros"),
        vars(r.path("vars"), name),
        r.path("models"),
        r.path("seeds"));
  }

  private static List<String> paths(JsonNode r, String key, String oldKey, String dflt) {
    JsonNode n =
        r.has(key) ? r.get(key) : oldKey == null ? MissingNode.getInstance() : r.path(oldKey);
    if (n.isMissingNode() || n.isNull()) {
      return List.of(dflt);
    }
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(p -> out.add(p.asText()));
    } else {
      out.add(n.asText());
    }
    return out;
  }

  /**
   * Project vars: plain values, and the project's own block of a scoped {@code vars: {my_project:
   * {x: 1}}} (blocks of other packages are theirs, and Weir reads no packages).
   */
  private static Map<String, Object> vars(JsonNode n, String project) {
    Map<String, Object> out = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), JsonValues.plain(e.getValue())));
    if (out.get(project) instanceof Map<?, ?> scoped) {
      out.remove(project);
      scoped.forEach((k, v) -> out.put(String.valueOf(k), v));
    }
    return out;
  }
}
