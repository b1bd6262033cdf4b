package dev.weir.flow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * One task of a flow as written, with its dependencies resolved.
 *
 * @param dependsOn ids this task waits for (the task above it when the YAML says nothing)
 * @param properties the type-specific properties, unrendered (templates intact)
 * @param path the YAML path of this task, e.g. {@code tasks[2]}
 * @param timeout null when the task has none
 * @param retry null to use the flow default
 * @param pool the pool whose slots limit how many tasks of it run at once (in {@code weir server});
 *     null when none
 * @param children the tasks a {@code forEach} runs once per item; empty for every other task
 * @param deadLetter where the task sets aside records it cannot process, templates unrendered; null
 *     when it has no {@code deadLetter:} setting
 */
public record TaskDef(
    String id,
    String type,
    Phase phase,
    List<String> dependsOn,
    RunIf runIf,
    String condition,
    Duration timeout,
    RetryPolicy retry,
    String pool,
    ObjectNode properties,
    String path,
    List<TaskDef> children,
    dev.weir.deadletter.DeadLetterSpec deadLetter) {

  /** The type name of a task group that runs its {@link #children} once per item. */
  public static final String FOR_EACH = "forEach";

  /** Which list of the flow the task belongs to. */
  public enum Phase {
    MAIN("tasks"),
    ON_FAILURE("onFailure"),
    FINALLY("finally");

    private final String yamlKey;

    Phase(String yamlKey) {
      this.yamlKey = yamlKey;
    }

    public String yamlKey() {
      return yamlKey;
    }
  }

  public TaskDef {
    dependsOn = List.copyOf(dependsOn);
    properties = properties.deepCopy();
    children = children == null ? List.of() : List.copyOf(children);
  }

  public TaskDef(
      String id,
      String type,
      Phase phase,
      List<String> dependsOn,
      RunIf runIf,
      String condition,
      Duration timeout,
      RetryPolicy retry,
      String pool,
      ObjectNode properties,
      String path,
      List<TaskDef> children) {
    this(
        id,
        type,
        phase,
        dependsOn,
        runIf,
        condition,
        timeout,
        retry,
        pool,
        properties,
        path,
        children,
        null);
  }

  /** A task that is not a group. */
  public TaskDef(
      String id,
      String type,
      Phase phase,
      List<String> dependsOn,
      RunIf runIf,
      String condition,
      Duration timeout,
      RetryPolicy retry,
      String pool,
      ObjectNode properties,
      String path) {
    this(
        id,
        type,
        phase,
        dependsOn,
        runIf,
        condition,
        timeout,
        retry,
        pool,
        properties,
        path,
        List.of());
  }

  /** Whether this is a {@code forEach} group, whose children run once per item. */
  public boolean isForEach() {
    return FOR_EACH.equals(type);
  }

  /** This task and, for a group, its children's tasks at every depth. */
  public java.util.stream.Stream<TaskDef> selfAndDescendants() {
    return java.util.stream.Stream.concat(
        java.util.stream.Stream.of(this), children.stream().flatMap(TaskDef::selfAndDescendants));
  }
}
