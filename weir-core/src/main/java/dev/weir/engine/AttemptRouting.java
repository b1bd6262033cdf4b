package dev.weir.engine;

import dev.weir.flow.TaskDef;

/**
 * Which task attempts this engine hands to workers ({@code weir worker}, or other nodes serving the
 * task's pool) instead of running them itself. A routed attempt is queued in the store after the
 * gate let it in (pools and circuit breakers hold as for one run here); the worker renders and runs
 * the task, and its result comes back to the run's coordinator here.
 */
@FunctionalInterface
public interface AttemptRouting {
  /** Every attempt runs in this process. */
  AttemptRouting NONE = task -> false;

  /**
   * Whether attempts of {@code task} (at the top of its flow or inside forEach items) go to
   * workers.
   */
  boolean routed(TaskDef task);
}
