package dev.weir.store;

import java.time.Instant;

/** One line of a task attempt's log (already masked). */
public record LogLine(
    String runId, String taskId, int attempt, Instant time, String level, String message) {}
