package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.FlowParser;
import dev.weir.flow.Problem;
import dev.weir.task.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Examples are copied: none may show a script that inlines trigger data, inputs or outputs. Every
 * flow in examples/, in the task examples, and every complete flow (a YAML block starting with
 * {@code id:}) in docs/ and the README parses without a validation warning.
 */
class ExamplesWarnNothingTest {
  private static final Pattern YAML = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);
  private static final FlowParser PARSER = new FlowParser(TaskRegistry.load());

  @Test
  void no_example_flow_puts_untrusted_values_into_a_script() throws Exception {
    var warnings = new ArrayList<String>();
    int flows = 0;
    for (Path f : files(Path.of("../examples"), ".yaml")) {
      if (!f.getFileName().toString().equals("weir.yaml")) {
        flows += check(f.toString(), Files.readString(f), warnings);
      }
    }
    for (Path f : files(Path.of("src/test/resources/examples"), ".yaml")) {
      flows += check(f.toString(), Files.readString(f), warnings);
    }
    var docs = new ArrayList<>(files(Path.of("../docs"), ".md"));
    docs.add(Path.of("../README.md"));
    for (Path f : docs) {
      var m = YAML.matcher(Files.readString(f));
      while (m.find()) {
        if (m.group(1).startsWith("id:")) {
          flows += check(f.toString(), m.group(1), warnings);
        }
      }
    }

    assertThat(flows).as("flows checked").isGreaterThan(30);
    assertThat(warnings).isEmpty();
  }

  /** 1 when {@code text} is a flow (its warnings added), 0 when it does not parse. */
  private static int check(String file, String text, List<String> warnings) {
    try {
      PARSER.read(file, text).warnings().stream().map(Problem::toString).forEach(warnings::add);
      return 1;
    } catch (FlowDefinitionException e) {
      return 0; // fragments, and examples of errors; the examples' own tests parse the rest
    }
  }

  private static List<Path> files(Path dir, String suffix) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }
}
