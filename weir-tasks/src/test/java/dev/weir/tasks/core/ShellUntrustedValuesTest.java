package dev.weir.tasks.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.expr.Expressions;
import dev.weir.flow.FlowParser;
import dev.weir.flow.Problem;
import dev.weir.flow.TaskDef;
import dev.weir.task.TaskRegistry;
import dev.weir.tasks.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A value from a webhook reaches a {@code shell} script through {@code env:} as data, never as
 * script text; inlining it is what validation warns about.
 */
class ShellUntrustedValuesTest {
  private static final String HOSTILE = "$(touch pwned1) `touch pwned2`; touch pwned3\n'\"";
  private static final FlowParser PARSER = new FlowParser(TaskRegistry.load());

  @TempDir Path dir;

  /** Renders the task's properties with {@code trigger.body} as the engine does, then runs it. */
  private TestContext run(String flowYaml) throws Exception {
    TaskDef task = PARSER.parse("flow.yaml", flowYaml).tasks().get(0);
    Map<String, Object> vars = Map.of("trigger", Map.of("body", Map.of("name", HOSTILE)));
    JsonNode props =
        new Expressions()
            .renderTree(
                task.properties(), vars, new Expressions.Services(null, InstantSource.system()));
    var ctx = new TestContext(dir);
    ctx.run(task.id(), new ShellTask(), props);
    return ctx;
  }

  /** Each line of {@code text} as the task log has it. */
  private static java.util.List<String> printed(String text) {
    return text.lines().map(l -> "INFO " + l).toList();
  }

  @Test
  void a_hostile_webhook_value_passed_through_env_is_printed_and_runs_nothing() throws Exception {
    TestContext ctx =
        run(
            """
            id: greet
            namespace: hooks
            tasks:
              - id: greet
                type: shell
                env: {NAME: "{{ trigger.body.name }}"}
                command: printf 'name=%s|' "$NAME"
            """);

    assertThat(ctx.log()).containsExactlyElementsOf(printed("name=" + HOSTILE + "|"));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("pwned"));
    }
  }

  @Test
  void the_same_value_quoted_with_shellQuote_runs_nothing_either() throws Exception {
    TestContext ctx =
        run(
            """
            id: greet
            namespace: hooks
            tasks:
              - id: greet
                type: shell
                command: printf 'name=%s|' {{ trigger.body.name | shellQuote }}
            """);

    assertThat(ctx.log()).containsExactlyElementsOf(printed("name=" + HOSTILE + "|"));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("pwned"));
    }
  }

  @Test
  void inlining_a_webhook_value_into_command_is_warned_about_with_the_fix() {
    var parsed =
        PARSER.read(
            "flow.yaml",
            """
            id: greet
            namespace: hooks
            tasks:
              - id: greet
                type: shell
                command: echo "name={{ trigger.body.name }}"
              - id: safe
                type: shell
                env: {NAME: "{{ trigger.body.name }}"}
                command: echo "name=$NAME"
            """);

    assertThat(parsed.warnings())
        .extracting(Problem::toString)
        .containsExactly(
            "flow.yaml:6:5 tasks[0].command: warning: `{{ trigger.body.name }}` is put into a"
                + " shell script as text; a value holding `$(…)` would run as a command. Pass it"
                + " as an environment variable: env: {NAME: \"{{ trigger.body.name }}\"} and use"
                + " \"$NAME\" in the script, or write {{ trigger.body.name | shellQuote }}");
  }

  @Test
  void a_missing_command_suggests_a_script_that_reads_its_values_from_env() {
    assertThatThrownBy(() ->
            PARSER.parse(
                "flow.yaml",
                """
                id: export
                namespace: shop
                tasks:
                  - id: export
                    type: shell
                    env: {DAY: "2026-03-01"}
                """))
        .hasMessageContaining(
            "missing required property 'command' for a shell task; add it, e.g. `command:"
                + " ./export.sh \"$DAY\"`");
  }
}
