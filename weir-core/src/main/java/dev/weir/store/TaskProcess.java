package dev.weir.store;

import java.time.Instant;

/**
 * A process that one attempt of one task started (store schema v9), kept so that a resume after a
 * crash can end it if it still runs.
 *
 * @param pgid the process group it leads (its own pid), or null when it shares its parent's group
 * @param startedAt when the process started, as the operating system tells it; with {@code pid} it
 *     tells the process apart from a later one that got the same pid; null when not known
 * @param host the machine it runs on (a pid means nothing on another one)
 */
public record TaskProcess(
    String runId,
    String taskId,
    int attempt,
    long pid,
    Long pgid,
    Instant startedAt,
    String host) {}
