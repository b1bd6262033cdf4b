package dev.weir.task;

import java.util.List;
import java.util.Set;

/**
 * A kind of task ({@code file.read}, {@code shell}, ...): one small class behind this interface,
 * registered in {@code META-INF/services/dev.weir.task.TaskType}.
 *
 * <p>The configuration is a record bound from the task's YAML properties (all keys but {@code id},
 * {@code type}, {@code dependsOn}, {@code runIf}, {@code condition}, {@code timeout}, {@code
 * retry}, {@code pool}, {@code deadLetter}, {@code description}). Record components annotated
 * {@link Required} must be present; an unknown key is a validation error. Strings are rendered as
 * templates before binding.
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

  /**
   * The properties whose text a shell runs as a script ({@code command} of {@code shell}).
   * Validation warns when one of them puts {@code trigger.*}, {@code inputs.*} or {@code outputs.*}
   * into the script as text, since a value holding {@code $(…)} would run as a command; the fix it
   * names is the type's {@code env:} property (values reach the process as environment variables),
   * which every type that runs scripts should therefore have.
   */
  default Set<String> shellScriptProperties() {
    return Set.of();
  }

  /**
   * Whether an attempt of this type runs until it is cancelled (a change-data-capture stream),
   * rather than ending when its work is done. {@code weir server} keeps one run going of every flow
   * that has such a task and no trigger (docs/streams.md).
   */
  default boolean runsContinuously() {
    return false;
  }

  /**
   * Whether the type sets aside records it cannot process through {@link
   * TaskContext#deadLetters()}; only such types may have a {@code deadLetter:} setting.
   */
  default boolean setsRecordsAside() {
    return false;
  }

  /** Extra validation of a bound config, beyond types and required properties. */
  default List<String> validate(C config) {
    return List.of();
  }
}
