package dev.weir.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.config.ConnectionConfig;
import dev.weir.config.ProjectConfig;
import dev.weir.expr.Expressions;
import dev.weir.expr.Masker;
import dev.weir.expr.Scope;
import dev.weir.expr.Secrets;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.flow.TaskDef;
import dev.weir.task.TaskRegistry;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs the example flows of docs/tasks (kept in src/test/resources/examples) through the real
 * parser and the task types, one task after the other. Shared by the {@code *ExamplesTest} classes,
 * one per family of task types; {@link ExamplesTest} checks that every type has an example and a
 * page showing it.
 */
final class Examples {
  static final Path DIR = Path.of("src/test/resources/examples");

  record Run(TestContext context, Map<String, TaskResult> results) {}

  /** Adds to a run's context the connections the example {@code example} (its file name) needs. */
  @FunctionalInterface
  interface Connections {
    void add(TestContext ctx, String example) throws Exception;
  }

  private final TaskRegistry registry = TaskRegistry.load();
  private final Expressions expressions = new Expressions();
  private final Path dir;
  private final Connections connections;

  private Examples(Path dir, Connections connections) {
    this.dir = dir;
    this.connections = connections;
  }

  /** Examples run from a copy in {@code dir}, as they write next to themselves (out/). */
  static Examples copiedTo(Path dir) throws Exception {
    return copiedTo(dir, (ctx, example) -> {});
  }

  /** As {@link #copiedTo(Path)}, each run given the connections {@code connections} adds. */
  static Examples copiedTo(Path dir, Connections connections) throws Exception {
    TestFiles.copyTree(DIR, dir);
    return new Examples(dir, connections);
  }

  TaskRegistry registry() {
    return registry;
  }

  Run run(String example) throws Exception {
    return run(example, Map.of(), Map.of());
  }

  /**
   * Runs an example with {@code inputs} as given on the command line (the rest take their defaults
   * as written) and {@code secrets} as if set as {@code WEIR_SECRET_<NAME>}.
   */
  Run run(String example, Map<String, String> inputs, Map<String, String> secrets)
      throws Exception {
    Flow flow = new FlowParser(registry).parse(dir.resolve(example));
    var ctx = new TestContext(dir);
    connections.add(ctx, example);
    var results = new LinkedHashMap<String, TaskResult>();
    var given = new LinkedHashMap<String, Object>();
    flow.inputs().stream()
        .filter(in -> in.defaultValue() != null)
        .forEach(in -> given.put(in.id(), in.defaultValue().asText()));
    given.putAll(inputs);
    var services = new Expressions.Services(secrets(secrets), InstantSource.system());
    Map<String, Object> variables = Map.of("inputs", Scope.of("inputs", given));
    // the examples are written so that file order is a valid execution order
    for (TaskDef task : flow.tasks()) {
      JsonNode properties = expressions.renderTree(task.properties(), variables, services);
      results.put(task.id(), runOne(ctx, task.id(), registry.get(task.type()), properties));
    }
    return new Run(ctx, results);
  }

  static <C extends Record> TaskResult runOne(
      TestContext ctx, String id, TaskType<C> type, JsonNode properties) throws Exception {
    return ctx.run(id, type, properties);
  }

  /** examples/weir.yaml, as copied to the run directory. */
  ProjectConfig project() throws Exception {
    return ProjectConfig.find(dir);
  }

  /**
   * The connection {@code name} of examples/weir.yaml, its {@code secret(...)} calls rendered from
   * {@code secrets} (as if set as {@code WEIR_SECRET_<NAME>}).
   */
  ConnectionConfig connection(String name, Map<String, String> secrets) throws Exception {
    var services = new Expressions.Services(secrets(secrets), InstantSource.system());
    var expressions = new Expressions();
    return project().connection(name, t -> expressions.render(t, Map.of(), services));
  }

  private static Secrets secrets(Map<String, String> secrets) {
    var env = new LinkedHashMap<String, String>();
    secrets.forEach((name, value) -> env.put(Secrets.ENV_PREFIX + name, value));
    return new Secrets(env, null, new Masker());
  }

  /** Built-in types only: the core test jar on the class path adds {@code test.*} types. */
  static Set<String> builtinNames(TaskRegistry registry) {
    var names = new TreeSet<>(registry.names());
    names.removeIf(n -> n.startsWith("test."));
    return names;
  }
}
