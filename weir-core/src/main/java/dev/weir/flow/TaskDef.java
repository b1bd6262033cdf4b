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
    String path) {

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
  }
}
