package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.weir.task.TaskRegistry;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code flows/invalid/} breaks one rule (or, for {@code several_problems}, many);
 * the sidecar {@code <name>.expected} holds the exact problem lines, {@code file:line:col path:
 * message}, in the order they are reported. Error text is an interface: change it here on purpose.
 */
class InvalidFlowsTest {
  private static final FlowParser PARSER = new FlowParser(TaskRegistry.load());

  static Stream<String> invalidFlows() {
    return Fixtures.yamlFiles("invalid");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFlows")
  void is_rejected_with_exactly_the_expected_problems(String file) {
    String expectedFile = file.replaceFirst("\\.yaml$", ".expected");
    List<String> expected = Fixtures.read("invalid", expectedFile).strip().lines().toList();

    FlowDefinitionException e =
        catchThrowableOfType(
            FlowDefinitionException.class,
            () -> PARSER.parse(file, Fixtures.read("invalid", file)));

    assertThat(e).as("%s should not parse", file).isNotNull();
    assertThat(e.problems()).extracting(Problem::toString).containsExactlyElementsOf(expected);
    String head = expected.size() == 1 ? "1 problem" : expected.size() + " problems";
    assertThat(e.getMessage())
        .isEqualTo(head + " in flow definition:\n  " + String.join("\n  ", expected));
  }
}
