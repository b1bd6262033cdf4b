package dev.weir.flow;

import dev.weir.task.TaskRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a flow file into a {@link Flow}, or fails with every problem found, each with {@code
 * file:line:col}. Structure is checked by {@link FlowReader} (tasks by {@link TaskReader});
 * cross-task rules (ids, dependencies, cycles, expressions, datasets) in {@link FlowValidator}.
 */
public final class FlowParser {
  public static final Pattern FLOW_ID = Pattern.compile("[a-z0-9_-]+");
  public static final Pattern NAMESPACE = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
  static final Pattern TASK_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  static final Pattern POOL = Pattern.compile("[A-Za-z0-9_.-]+");
  static final List<String> FLOW_KEYS =
      List.of(
          "id",
          "namespace",
          "description",
          "labels",
          "inputs",
          "variables",
          "concurrency",
          "timeout",
          "retry",
          "parallelism",
          "tasks",
          "onFailure",
          "finally",
          "triggers",
          "sla",
          "alerts");
  static final List<String> TASK_KEYS =
      List.of(
          "id",
          "type",
          "description",
          "dependsOn",
          "runIf",
          "condition",
          "timeout",
          "retry",
          "pool",
          "deadLetter");
  static final List<String> CONCURRENCY_KEYS = List.of("limit", "onLimit");
  static final List<String> INPUT_KEYS =
      List.of("id", "type", "required", "default", "description");

  private final TaskRegistry registry;

  public FlowParser(TaskRegistry registry) {
    this.registry = registry;
  }

  /**
   * A flow that can run, and what validation warns about in it: things that work but should not be
   * written that way (e.g. a script that inlines a webhook's data). Warnings never fail.
   *
   * @param warnings {@code file:line:col path: warning: …}, in file order
   */
  public record Parsed(Flow flow, List<Problem> warnings) {
    public Parsed {
      warnings = List.copyOf(warnings);
    }
  }

  public Flow parse(Path file) {
    return read(file).flow();
  }

  /**
   * @throws FlowDefinitionException with every problem when the flow cannot run
   */
  public Flow parse(String file, String text) {
    return read(file, text).flow();
  }

  /** As {@link #parse(Path)}, with the warnings. */
  public Parsed read(Path file) {
    return read(file.toString(), FlowSource.read(file));
  }

  /**
   * @throws FlowDefinitionException with every problem when the flow cannot run
   */
  public Parsed read(String file, String text) {
    var problems = new ArrayList<Problem>();
    YamlTree tree = YamlTree.parse(file, text, problems);
    Flow flow = null;
    if (problems.isEmpty()) {
      flow = new FlowReader(tree, problems).read(FlowSource.of(file, text));
      if (flow != null) {
        new FlowValidator(registry, tree, problems).validate(flow);
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(null);
      throw new FlowDefinitionException(problems);
    }
    var warnings = new ArrayList<>(new ScriptInjection(registry, tree).warnings(flow));
    warnings.sort(null);
    return new Parsed(flow, warnings);
  }
}
