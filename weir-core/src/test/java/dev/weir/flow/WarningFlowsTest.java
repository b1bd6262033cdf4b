package dev.weir.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.task.TaskRegistry;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code flows/warning/} is a flow that runs but is written in a way validation warns
 * about; the sidecar {@code <name>.expected} holds the exact warning lines, in order.
 */
class WarningFlowsTest {
  private static final FlowParser PARSER = new FlowParser(TaskRegistry.load());

  static Stream<String> flowsWithWarnings() {
    return Fixtures.yamlFiles("warning");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("flowsWithWarnings")
  void parses_and_warns_exactly_as_expected(String file) {
    List<String> expected =
        Fixtures.read("warning", file.replaceFirst("\\.yaml$", ".expected"))
            .strip()
            .lines()
            .toList();

    FlowParser.Parsed parsed = PARSER.read(file, Fixtures.read("warning", file));

    assertThat(parsed.flow()).as("a warning never fails the flow").isNotNull();
    assertThat(parsed.warnings()).extracting(Problem::toString).containsExactlyElementsOf(expected);
  }
}
