package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.config.ProjectConfig;
import dev.weir.task.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every task type has an example flow in src/test/resources/examples and a page in docs/tasks
 * showing it verbatim. The examples themselves run in one test class per family of task types:
 * {@link CoreExamplesTest}, {@link FileSqlExamplesTest}, {@link DatabaseExamplesTest}, {@link
 * HttpNotifyExamplesTest}, {@link S3SftpExamplesTest} and {@link QueueExamplesTest}.
 */
class ExamplesTest {
  private static final Path EXAMPLES = Examples.DIR;
  private final TaskRegistry registry = TaskRegistry.load();

  @Test
  void every_registered_task_type_has_an_example_and_a_doc() {
    assertThat(builtinNames())
        .containsExactlyInAnyOrder(
            "forEach",
            "noop",
            "log",
            "shell",
            "file.read",
            "file.write",
            "sql.transform",
            "quality.check",
            "jdbc.extract",
            "jdbc.load",
            "jdbc.query",
            "python",
            "http.extract",
            "s3.upload",
            "s3.download",
            "s3.list",
            "s3.delete",
            "sftp.upload",
            "sftp.download",
            "sftp.list",
            "sftp.delete",
            "notify.slack",
            "notify.webhook",
            "notify.pagerduty",
            "notify.email",
            "subflow",
            "wait.sql",
            "wait.file",
            "wait.http",
            "rabbitmq.publish",
            "nats.publish",
            "mqtt.publish",
            "kafka.publish",
            "cdc.postgres",
            "cdc.mysql",
            "sql.models")
        .allSatisfy(name -> {
          assertThat(EXAMPLES.resolve(name + ".yaml")).exists();
          assertThat(Path.of("../docs/tasks/" + name + ".md")).exists();
        });
  }

  @Test
  void docs_show_the_example_flow_verbatim() throws Exception {
    for (String name : builtinNames()) {
      String example = Files.readString(EXAMPLES.resolve(name + ".yaml"));
      assertThat(Files.readString(Path.of("../docs/tasks/" + name + ".md")))
          .as("docs/tasks/%s.md", name)
          .contains("```yaml\n" + example + "```");
    }
  }

  @Test
  void examples_directory_holds_only_known_examples() throws Exception {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<String> yaml =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml") && !n.equals(ProjectConfig.FILE_NAME))
              .toList();
      assertThat(yaml).hasSameSizeAs(builtinNames());
    }
  }

  private Set<String> builtinNames() {
    return Examples.builtinNames(registry);
  }
}
