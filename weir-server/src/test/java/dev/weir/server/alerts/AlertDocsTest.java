package dev.weir.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.flow.alert.AlertChannel;
import dev.weir.task.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The examples of docs/alerts.md are what the parsers accept. */
class AlertDocsTest {
  static final Pattern YAML = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);

  static List<String> yamlBlocks() throws Exception {
    var out = new ArrayList<String>();
    var m = YAML.matcher(Files.readString(Path.of("../docs/alerts.md")));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void the_flow_example_has_one_alert_per_channel() throws Exception {
    Flow flow = new FlowParser(TaskRegistry.load()).parse("docs/alerts.md", yamlBlocks().get(0));
    assertThat(flow.alerts()).extracting(r -> r.channel()).containsExactly(AlertChannel.values());
    assertThat(flow.sla().deadline()).hasToString("07:00");
  }

  @Test
  void the_server_config_example_is_valid() throws Exception {
    var node = new ObjectMapper(new YAMLFactory()).readTree(yamlBlocks().get(1));
    var problems = new ArrayList<String>();
    AlertSettings s = AlertSettings.parse(node.get("alerts"), problems);
    assertThat(problems).isEmpty();
    assertThat(s.smtp().starttls()).isTrue();
    assertThat(s.baseUrl()).isEqualTo("https://weir.example.com");
  }
}
