package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SchemaCliTest {
  @Test
  void prints_the_flow_schema_with_every_installed_task_type() throws Exception {
    Cli.Result r = Cli.run("schema");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode schema = new ObjectMapper().readTree(r.out());
    assertThat(schema.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.at("/$defs/task/properties/type/enum").toString())
        .contains("\"file.read\"", "\"jdbc.load\"", "\"notify.slack\"");
    assertThat(schema.at("/$defs/task.file.read/properties/path/description").asText())
        .contains("relative paths resolve");
  }

  @Test
  void help_says_how_editors_use_it() {
    Cli.Result r = Cli.run("schema", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("weir schema > weir-flow.schema.json")
        .contains("# yaml-language-server: $schema=weir-flow.schema.json")
        .contains("JSON Schema Mappings");
  }
}
