package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.flow.trigger.FileTrigger;
import dev.weir.flow.trigger.FlowTrigger;
import dev.weir.flow.trigger.WebhookTrigger;
import dev.weir.task.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The YAML examples of the trigger sections of docs/server.md are valid flows. */
class ServerDocsTest {
  static final Path DOC = Path.of("../docs/server.md");
  static final Pattern YAML = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);

  static List<Flow> examples(String heading) throws Exception {
    String text = Files.readString(DOC);
    int start = text.indexOf("\n## " + heading + "\n");
    assertThat(start).as("docs/server.md has a section '## %s'", heading).isNotNegative();
    int end = text.indexOf("\n## ", start + 1);
    String section = text.substring(start, end < 0 ? text.length() : end);
    var parser = new FlowParser(TaskRegistry.load());
    var flows = new ArrayList<Flow>();
    var m = YAML.matcher(section);
    while (m.find()) {
      flows.add(parser.parse("docs/server.md (" + heading + ")", m.group(1)));
    }
    return flows;
  }

  @Test
  void the_trigger_examples_of_the_server_docs_are_valid_flows() throws Exception {
    assertThat(examples("Webhooks"))
        .singleElement()
        .satisfies(f -> assertThat(f.triggers()).hasOnlyElementsOfType(WebhookTrigger.class));
    assertThat(examples("Flow triggers"))
        .singleElement()
        .satisfies(f -> assertThat(f.triggers()).hasOnlyElementsOfType(FlowTrigger.class));
    assertThat(examples("File triggers"))
        .hasSize(3) // local, S3, SFTP
        .allSatisfy(f -> assertThat(f.triggers()).hasOnlyElementsOfType(FileTrigger.class));
    assertThat(examples("Queue triggers"))
        .singleElement()
        .satisfies(f ->
            assertThat(f.triggers())
                .hasOnlyElementsOfType(dev.weir.flow.trigger.QueueTrigger.class));
  }
}
