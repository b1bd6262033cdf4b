package dev.weir.tasks.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.Location;
import dev.weir.flow.YamlTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code models/**.yml} file (version 2): its {@code sources}, its {@code models} (description,
 * config, columns with tests) and its {@code seeds} (config with {@code column_types}).
 */
record SchemaFile(
    List<SourceTable> sources,
    Map<String, Spec> models,
    Map<String, Spec> seeds,
    List<GenericTest> tests) {
  /** A model's or seed's YAML entry. */
  record Spec(
      String description, NodeConfig config, Map<String, String> columnTypes, Location location) {}

  static SchemaFile read(YamlTree yaml) {
    JsonNode r = yaml.root();
    var sources = new ArrayList<SourceTable>();
    var tests = new ArrayList<GenericTest>();
    var tests_ = new TestDeclarations(yaml, tests);
    each(
        r.path("sources"),
        "sources",
        (src, sp) -> {
          String name =
              required(yaml, src, sp, "name", "a source needs a name, e.g. - name: jaffle_raw");
          String schema = src.path("schema").asText(name);
          each(
              src.path("tables"),
              sp + ".tables",
              (t, tp) -> {
                String table =
                    required(
                        yaml, t, tp, "name", "a source table needs a name, e.g. - name: orders");
                sources.add(
                    new SourceTable(
                        name,
                        table,
                        t.path("schema").asText(schema),
                        t.path("identifier").asText(table),
                        yaml.location(tp)));
                tests_.read(t, tp, null, name + "." + table);
              });
        });
    var models = new LinkedHashMap<String, Spec>();
    each(
        r.path("models"),
        "models",
        (m, mp) -> {
          String name =
              required(
                  yaml, m, mp, "name", "a model entry needs the model's name, e.g. - name: orders");
          models.put(name, spec(yaml, m, mp));
          tests_.read(m, mp, name, null);
        });
    var seeds = new LinkedHashMap<String, Spec>();
    each(
        r.path("seeds"),
        "seeds",
        (s, sp) -> {
          String name =
              required(
                  yaml,
                  s,
                  sp,
                  "name",
                  "a seed entry needs the seed's name, e.g. - name: raw_orders");
          seeds.put(name, spec(yaml, s, sp));
        });
    return new SchemaFile(sources, models, seeds, tests);
  }

  private static Spec spec(YamlTree yaml, JsonNode m, String path) {
    NodeConfig c = NodeConfig.EMPTY;
    var types = new LinkedHashMap<String, String>();
    var it = m.path("config").fields();
    while (it.hasNext()) {
      var e = it.next();
      c = c.withKey(e.getKey(), JsonValues.plain(e.getValue()));
      if (e.getKey().replace("+", "").equals("column_types")) {
        e.getValue().fields().forEachRemaining(t -> types.put(t.getKey(), t.getValue().asText()));
      }
    }
    return new Spec(m.path("description").asText(""), c, types, yaml.location(path));
  }

  interface Entry {
    void read(JsonNode node, String path);
  }

  static void each(JsonNode list, String path, Entry entry) {
    for (int i = 0; i < list.size(); i++) {
      entry.read(list.get(i), path + "[" + i + "]");
    }
  }

  static String required(YamlTree yaml, JsonNode n, String path, String key, String fix) {
    String v = n.path(key).asText("");
    if (v.isEmpty()) {
      throw new ModelsException(yaml.location(path), path + ": no '" + key + "'; " + fix);
    }
    return v;
  }
}
