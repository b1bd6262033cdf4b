package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.task.TaskRegistry;
import dev.weir.testing.SchemaCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FlowSchemaTest {
  private static final Path FLOWS = Path.of("src/test/resources/flows");
  private static final TaskRegistry REGISTRY = TaskRegistry.load();
  private static final ObjectNode SCHEMA = FlowSchema.of(REGISTRY);
  private static final SchemaCheck CHECK = new SchemaCheck(SCHEMA);

  /** Invalid fixtures whose problem is one of shape: an unknown key, a wrong type, a bad name. */
  private static final List<String> SHAPE_ERRORS =
      List.of(
          "alert_missing_setting",
          "alert_no_channel",
          "alert_two_channels",
          "alert_unknown_event",
          "bad_flow_id",
          "bad_namespace",
          "bad_retry_delay",
          "bad_run_if",
          "bad_task_id",
          "bad_timeout",
          "concurrency_bad_on_limit",
          "concurrency_missing_limit",
          "concurrency_zero_limit",
          "missing_id",
          "missing_required_property",
          "no_tasks",
          "no_tasks_key",
          "pool_bad_name",
          "retry_zero_attempts",
          "several_problems",
          "trigger_bad_catchup",
          "trigger_bad_id",
          "trigger_disabled_not_boolean",
          "trigger_file_missing_path",
          "trigger_flow_empty_states",
          "trigger_flow_missing_upstream",
          "trigger_flow_state_not_final",
          "trigger_flow_unknown_state",
          "trigger_flow_unknown_upstream_property",
          "trigger_missing_cron",
          "trigger_missing_id",
          "trigger_missing_type",
          "trigger_not_a_list",
          "trigger_not_a_mapping",
          "trigger_unknown_property",
          "trigger_unknown_type",
          "trigger_webhook_missing_key",
          "trigger_webhook_short_key",
          "unknown_input_type",
          "unknown_task_property",
          "unknown_task_type",
          "unknown_top_level_key",
          "wrong_property_type",
          "yaml_key_at_top_level",
          "yaml_nested_key_outdented");

  @Test
  void every_valid_fixture_conforms() throws Exception {
    List<Path> files = yaml(FLOWS.resolve("valid"), FLOWS.resolve("warning"));
    assertThat(files).hasSizeGreaterThan(10);
    var failures = new ArrayList<String>();
    for (Path f : files) {
      CHECK.errors(f).forEach(e -> failures.add(f.getFileName() + " " + e));
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void invalid_fixtures_of_shape_fail_it() {
    for (String name : SHAPE_ERRORS) {
      Path f = FLOWS.resolve("invalid/" + name + ".yaml");
      assertThat(f).exists();
      assertThat(CHECK.errors(f)).as(name).isNotEmpty();
    }
  }

  @Test
  void names_the_unknown_key_of_a_task_type() {
    List<String> errors = CHECK.errors(FLOWS.resolve("invalid/unknown_task_property.yaml"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("mesage"));
  }

  @Test
  void a_number_of_a_task_may_be_an_expression() {
    assertThat(CHECK.errors(flow("{id: a, type: test.flaky, failures: 2}"))).isEmpty();
    assertThat(CHECK.errors(flow("{id: a, type: test.flaky, failures: \"{{ inputs.n }}\"}")))
        .isEmpty();
    assertThat(CHECK.errors(flow("{id: a, type: test.flaky, failures: many}"))).isNotEmpty();
    assertThat(CHECK.errors(flow("{id: a, type: test.flaky, failures: 2.5}"))).isNotEmpty();
  }

  @Test
  void a_duration_of_a_task_may_be_an_expression_but_not_a_bare_number() {
    assertThat(CHECK.errors(flow("{id: a, type: test.sleep, duration: 5s}"))).isEmpty();
    assertThat(CHECK.errors(flow("{id: a, type: test.sleep, duration: PT1M}"))).isEmpty();
    assertThat(CHECK.errors(flow("{id: a, type: test.sleep, duration: \"{{ inputs.wait }}\"}")))
        .isEmpty();
    assertThat(CHECK.errors(flow("{id: a, type: test.sleep, duration: 5}"))).isNotEmpty();
    assertThat(CHECK.errors(flow("{id: a, type: test.sleep, duration: soon}"))).isNotEmpty();
  }

  @Test
  void retry_is_bound_as_written_so_it_takes_no_expression() {
    String task = "{id: a, type: test.ok, retry: {attempts: %s}}";
    assertThat(CHECK.errors(flow(task.formatted("3")))).isEmpty();
    assertThat(CHECK.errors(flow(task.formatted("\"{{ inputs.n }}\"")))).isNotEmpty();
  }

  @Test
  void the_keys_of_one_type_are_unknown_to_another() {
    assertThat(CHECK.errors(flow("{id: a, type: test.ok, failures: 2}"))).isNotEmpty();
  }

  @Test
  void names_are_read_in_any_case_as_the_parser_reads_them() {
    assertThat(CHECK.errors(flow("{id: a, type: test.ok, runIf: ALWAYS}"))).isEmpty();
    assertThat(CHECK.errors(flow("{id: a, type: test.ok, runIf: sometimes}"))).isNotEmpty();
  }

  @Test
  void lists_every_task_type_of_the_registry() {
    JsonNode types = SCHEMA.at("/$defs/task/properties/type/enum");
    var names = new ArrayList<String>();
    types.forEach(t -> names.add(t.asText()));
    assertThat(names).containsExactlyElementsOf(REGISTRY.names());
    REGISTRY.names().forEach(n -> assertThat(SCHEMA.at("/$defs/task." + n).isObject()).isTrue());
  }

  @Test
  void top_level_keys_are_the_parsers() {
    var keys = new ArrayList<String>();
    SCHEMA.get("properties").fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyElementsOf(FlowParser.FLOW_KEYS);
  }

  private static JsonNode flow(String task) {
    var problems = new ArrayList<Problem>();
    YamlTree tree = YamlTree.parse("t.yaml", "id: t\ntasks:\n  - " + task + "\n", problems);
    assertThat(problems).isEmpty();
    return tree.root();
  }

  private static List<Path> yaml(Path... dirs) throws Exception {
    var out = new ArrayList<Path>();
    for (Path d : dirs) {
      try (Stream<Path> s = Files.list(d)) {
        s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(out::add);
      }
    }
    return out;
  }
}
