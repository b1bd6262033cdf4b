package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.weir.task.TaskRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file in {@code flows/valid/} parses; a few are checked for what they resolve to. */
class ValidFlowsTest {
  private static final FlowParser PARSER = new FlowParser(TaskRegistry.load());

  static Stream<String> validFlows() {
    return Fixtures.yamlFiles("valid");
  }

  private static Flow parse(String file) {
    return PARSER.parse(file, Fixtures.read("valid", file));
  }

  /** Task id → resolved dependsOn, in file order. */
  private static Map<String, List<String>> dependsOn(List<TaskDef> tasks) {
    var m = new LinkedHashMap<String, List<String>>();
    tasks.forEach(t -> m.put(t.id(), t.dependsOn()));
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFlows")
  void parses_without_problems_or_warnings(String file) {
    FlowParser.Parsed parsed = PARSER.read(file, Fixtures.read("valid", file));
    assertThat(parsed.flow().tasks()).isNotEmpty();
    assertThat(parsed.flow().source().file()).isEqualTo(file);
    assertThat(parsed.warnings()).extracting(Problem::toString).isEmpty();
  }

  @Test
  void a_task_without_dependsOn_runs_after_the_task_above() {
    assertThat(dependsOn(parse("implicit_chain.yaml").tasks()))
        .containsExactly(entry("a", List.of()), entry("b", List.of("a")), entry("c", List.of("b")));
  }

  @Test
  void empty_dependsOn_starts_at_once_and_a_list_waits_for_all() {
    Flow flow = parse("fan_out.yaml");
    assertThat(flow.qualifiedId()).isEqualTo("shop.sales.fan_out");
    assertThat(dependsOn(flow.tasks()))
        .containsExactly(
            entry("extract", List.of()),
            entry("customers", List.of()),
            entry("shape", List.of("extract", "customers")),
            entry("load", List.of("shape")),
            entry("audit", List.of("extract")));
    Dag dag = new Dag(flow.tasks());
    assertThat(dag.ancestors("load")).containsExactlyInAnyOrder("shape", "extract", "customers");
    assertThat(dag.findCycle()).isEmpty();
  }

  @Test
  void onFailure_and_finally_are_separate_lists_with_their_own_chains() {
    Flow flow = parse("on_failure_finally.yaml");
    assertThat(dependsOn(flow.tasks()))
        .containsExactly(entry("extract", List.of()), entry("load", List.of("extract")));
    assertThat(dependsOn(flow.onFailure()))
        .containsExactly(entry("page", List.of()), entry("log_it", List.of("page")));
    assertThat(dependsOn(flow.finallyTasks())).containsExactly(entry("cleanup", List.of()));
    assertThat(flow.finallyTasks().get(0).runIf()).isEqualTo(RunIf.ALWAYS);
    assertThat(flow.onFailure()).allMatch(t -> t.phase() == TaskDef.Phase.ON_FAILURE);
    assertThat(flow.timeout()).isEqualTo(Duration.ofHours(2));
    assertThat(flow.retry())
        .isEqualTo(
            new RetryPolicy(
                3, Backoff.EXPONENTIAL, Duration.ofSeconds(10), Duration.ofMinutes(5), true));
    TaskDef extract = flow.tasks().get(0);
    assertThat(extract.timeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(extract.retry().attempts()).isEqualTo(5);
    assertThat(extract.retry().delay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(flow.tasks().get(1).retry()).as("null = the flow default").isNull();
  }

  @Test
  void inputs_keep_their_types_defaults_and_required_flag() {
    Flow flow = parse("inputs_with_defaults.yaml");
    assertThat(flow.inputs())
        .extracting(InputDef::id, InputDef::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("day", InputType.DATE),
            org.assertj.core.groups.Tuple.tuple("since", InputType.DATETIME),
            org.assertj.core.groups.Tuple.tuple("limit", InputType.INT),
            org.assertj.core.groups.Tuple.tuple("ratio", InputType.NUMBER),
            org.assertj.core.groups.Tuple.tuple("full_load", InputType.BOOLEAN),
            org.assertj.core.groups.Tuple.tuple("window", InputType.DURATION),
            org.assertj.core.groups.Tuple.tuple("options", InputType.JSON),
            org.assertj.core.groups.Tuple.tuple("table", InputType.STRING));
    assertThat(flow.inputs().get(0).defaultValue().asText())
        .isEqualTo("{{ run.logicalDate | date('yyyy-MM-dd') }}");
    assertThat(flow.inputs().get(2).defaultValue().asInt()).isEqualTo(100);
    assertThat(flow.inputs().get(7).required()).isFalse();
    assertThat(flow.inputs().get(0).required()).isTrue();
  }

  @Test
  void expressions_keep_their_templates_unrendered() {
    Flow flow = parse("expressions.yaml");
    TaskDef load = flow.task("load").orElseThrow();
    assertThat(load.condition()).isEqualTo("{{ not inputs.full_load }}");
    assertThat(load.properties().get("message").asText())
        .isEqualTo("{{ outputs.extract.rows }} rows into {{ vars.table }} at {{ now() }}");
    assertThat(load.properties().has("condition")).as("not a task property").isFalse();
    assertThat(flow.variables().get("target").asText()).isEqualTo("{{ vars.table }}_staging");
  }
}
