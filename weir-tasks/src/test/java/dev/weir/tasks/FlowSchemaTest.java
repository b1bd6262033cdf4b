package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.config.ProjectConfig;
import dev.weir.flow.ConfigBinder;
import dev.weir.flow.FlowSchema;
import dev.weir.flow.schema.TaskDocs;
import dev.weir.task.TaskRegistry;
import dev.weir.testing.SchemaCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The flow schema with the built-in task types: the repository's flows conform, pages describe. */
class FlowSchemaTest {
  private static final TaskRegistry REGISTRY = TaskRegistry.load();
  private static final ObjectNode SCHEMA = FlowSchema.of(REGISTRY);
  private static final SchemaCheck CHECK = new SchemaCheck(SCHEMA);

  @Test
  void every_example_flow_of_the_repository_conforms() throws Exception {
    var files = new ArrayList<Path>();
    files.addAll(yaml(Path.of("../examples")));
    files.addAll(yaml(Path.of("src/test/resources/examples")));
    files.addAll(yaml(Path.of("../weir-cli/src/main/resources/dev/weir/cli/init")));
    files.addAll(yaml(Path.of("../weir-cli/src/test/resources/devloop")));
    assertThat(files).hasSizeGreaterThan(20);
    var failures = new ArrayList<String>();
    for (Path f : files) {
      // weir init's flow gets the project's namespace when it is written
      String text = Files.readString(f).replace("__NAMESPACE__", "shop");
      CHECK.errors(f.toString(), text).forEach(e -> failures.add(f + " " + e));
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void a_task_types_keys_are_described_by_its_page() {
    JsonNode read = SCHEMA.at("/$defs/task.file.read");
    assertThat(read.path("description").asText()).startsWith("Reads a CSV, JSON or Parquet file");
    assertThat(read.at("/properties/path/description").asText())
        .contains("relative paths resolve against the flow file's directory");
    assertThat(read.at("/properties/header/description").asText()).endsWith("(default: `true`)");
    assertThat(
            SCHEMA
                .at("/$defs/task.jdbc.extract/properties/incremental/properties/column/description")
                .asText())
        .isNotEmpty();
  }

  @Test
  void a_mapping_of_names_is_a_mapping_not_the_fields_of_the_java_map() throws Exception {
    JsonNode schema = SCHEMA.at("/$defs/task.file.read/properties/schema");
    assertThat(schema.path("type").asText()).isEqualTo("object");
    assertThat(schema.has("properties")).as(schema.toString()).isFalse();
    assertThat(schema.at("/additionalProperties/type").toString()).contains("string");
    assertThat(CHECK.errors(flow("{id: a, type: file.read, path: x.csv, schema: {id: BIGINT}}")))
        .isEmpty();
    assertThat(CHECK.errors(flow("{id: a, type: file.read, path: x.csv, schema: {id: [BIGINT]}}")))
        .isNotEmpty();
  }

  @Test
  void a_templated_number_of_a_builtin_type_conforms() throws Exception {
    assertThat(
            CHECK.errors(
                flow(
                    "{id: a, type: http.extract, url: \"https://x\", maxPages: \"{{ inputs.n }}\"}")))
        .isEmpty();
    assertThat(
            CHECK.errors(flow("{id: a, type: http.extract, url: \"https://x\", maxPages: lots}")))
        .isNotEmpty();
  }

  /**
   * The pages are where the schema's descriptions come from: each key of a built-in type's
   * configuration has a row, and each row names a key.
   */
  @Test
  void every_page_documents_exactly_the_keys_of_its_type() {
    for (String name : REGISTRY.names()) {
      if (name.startsWith("test.")) {
        continue;
      }
      Set<String> documented = new LinkedHashSet<>();
      TaskDocs.of(REGISTRY.get(name))
          .properties()
          .keySet()
          .forEach(k -> documented.add(k.contains(".") ? k.substring(0, k.indexOf('.')) : k));
      @SuppressWarnings("unchecked")
      List<String> keys =
          ConfigBinder.propertyNames((Class<? extends Record>) REGISTRY.get(name).configType());
      assertThat(documented)
          .as("docs/tasks/%s.md, ## Properties", name)
          .containsExactlyInAnyOrderElementsOf(keys);
    }
  }

  private static JsonNode flow(String task) throws Exception {
    return dev.weir.flow.ConfigBinder.MAPPER.readTree(
        "{\"id\": \"t\", \"tasks\": [" + yamlToJson(task) + "]}");
  }

  private static String yamlToJson(String yaml) throws Exception {
    var problems = new ArrayList<dev.weir.flow.Problem>();
    return dev.weir.flow.YamlTree.parse("t.yaml", yaml, problems).root().toString();
  }

  private static List<Path> yaml(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals(ProjectConfig.FILE_NAME))
          // a server's config (`weir server --config server.yaml`), as docs/server.md names it
          .filter(p -> !p.getFileName().toString().equals("server.yaml"))
          .sorted()
          .toList();
    }
  }
}
