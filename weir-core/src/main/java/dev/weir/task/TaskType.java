package dev.weir.task;

import java.util.List;

/**
 * A kind of task ({@code file.read}, {@code shell}, ...): one small class behind this interface,
 * registered in {@code META-INF/services/dev.weir.task.TaskType}.
 *
 * <p>The configuration is a record bound from the task's YAML properties (all keys but {@code id},
 * {@code type}, {@code dependsOn}, {@code runIf}, {@code condition}, {@code timeout}, {@code
 * retry}, {@code description}). Record components annotated {@link Required} must be present; an
 * unknown key is a validation error. Strings are rendered as templates before binding.
 *
 * @param <C> the configuration record
 */
public interface TaskType<C extends Record> {
  /** The name used in YAML as {@code type:}, e.g. {@code file.read}. */
  String name();

  Class<C> configType();

  /**
   * Runs one attempt. Throw to fail it; {@link TaskFailedException} with {@code retryable=false}
   * fails the task at once whatever its retry policy. Must be safe to run again (idempotent).
   */
  TaskResult run(C config, TaskContext context) throws Exception;

  /**
   * The task ids whose datasets this configuration reads; validation checks each is a task that
   * runs before this one.
   */
  default List<String> datasetInputs(C config) {
    return List.of();
  }

  /** Extra validation of a bound config, beyond types and required properties. */
  default List<String> validate(C config) {
    return List.of();
  }
}
