package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.flow.TaskDef;
import dev.weir.task.TaskRegistry;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example flow of docs/tasks (kept in src/test/resources/examples) through the real
 * parser and the task types, one task after the other, so the documented examples keep working.
 */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("src/test/resources/examples");
  private final TaskRegistry registry = TaskRegistry.load();

  @TempDir Path dir;

  @BeforeEach
  void copyExamples() throws Exception {
    // examples write next to themselves (out/), so run them from a copy
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      for (Path p : files.toList()) {
        Path target = dir.resolve(EXAMPLES.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private record Run(TestContext context, Map<String, TaskResult> results) {}

  private Run run(String example) throws Exception {
    Flow flow = new FlowParser(registry).parse(dir.resolve(example));
    var ctx = new TestContext(dir);
    var results = new LinkedHashMap<String, TaskResult>();
    // the examples are written so that file order is a valid execution order
    for (TaskDef task : flow.tasks()) {
      results.put(task.id(), runOne(ctx, task, registry.get(task.type())));
    }
    return new Run(ctx, results);
  }

  private static <C extends Record> TaskResult runOne(
      TestContext ctx, TaskDef task, TaskType<C> type) throws Exception {
    return ctx.run(task.id(), type, task.properties());
  }

  @Test
  void every_registered_task_type_has_an_example_and_a_doc() {
    assertThat(builtinNames())
        .containsExactlyInAnyOrder(
            "noop",
            "log",
            "shell",
            "file.read",
            "file.write",
            "sql.transform",
            "quality.check",
            "jdbc.load")
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
  void noop_example() throws Exception {
    Run run = run("noop.yaml");
    assertThat(run.context().log())
        .containsExactly(
            "INFO left branch done", "INFO right branch done", "INFO both branches finished");
  }

  @Test
  void log_example() throws Exception {
    assertThat(run("log.yaml").context().log())
        .containsExactly(
            "INFO Starting the nightly load",
            "WARN The source system is in maintenance mode until 06:00");
  }

  @Test
  void shell_example() throws Exception {
    assertThat(run("shell.yaml").context().log()).first().isEqualTo("INFO hello from data");
  }

  @Test
  void file_read_example() throws Exception {
    Run run = run("file.read.yaml");
    assertThat(run.results().get("orders").outputs())
        .containsEntry("rows", 11L)
        .containsEntry("rejected", 1L);
  }

  @Test
  void sql_transform_example() throws Exception {
    Run run = run("sql.transform.yaml");
    assertThat(run.results().get("revenue_by_country").rows()).isEqualTo(4);
  }

  @Test
  void quality_check_example() throws Exception {
    Run run = run("quality.check.yaml");
    assertThat(run.results().get("check_orders").outputs()).containsEntry("failed", 1);
    assertThat(run.context().log())
        .last()
        .asString()
        .startsWith("WARN quality check expression(ordered_on");
  }

  @Test
  void file_write_example() throws Exception {
    run("file.write.yaml");
    assertThat(Files.readAllLines(dir.resolve("out/shipped_orders.csv")))
        .hasSize(7)
        .startsWith("order_id,customer_id,amount", "2,11,12.50");
  }

  @Test
  void jdbc_load_example_can_run_twice() throws Exception {
    run("jdbc.load.yaml");
    run("jdbc.load.yaml");
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/warehouse.duckdb"));
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM analytics.orders")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(11);
    }
  }

  @Test
  void examples_directory_holds_only_known_examples() throws Exception {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<String> yaml =
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).toList();
      assertThat(yaml).hasSameSizeAs(builtinNames());
    }
  }

  /** Built-in types only: the core test jar on the class path adds {@code test.*} types. */
  private java.util.Set<String> builtinNames() {
    var names = new java.util.TreeSet<>(registry.names());
    names.removeIf(n -> n.startsWith("test."));
    return names;
  }
}
