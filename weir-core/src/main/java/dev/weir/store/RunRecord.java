package dev.weir.store;

import java.time.Instant;

/**
 * One run of one flow revision as stored.
 *
 * @param attempt 1, then +1 for each {@code weir retry}
 * @param inputs the resolved inputs as JSON
 * @param owner who executes it now (host:pid), null when nobody does
 */
public record RunRecord(
    String id,
    String namespace,
    String flowId,
    String revision,
    RunState state,
    String inputs,
    Instant logicalDate,
    String trigger,
    int attempt,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt,
    String error,
    String owner) {

  public RunRecord withState(RunState s, Instant endedAt, String error) {
    return new RunRecord(
        id,
        namespace,
        flowId,
        revision,
        s,
        inputs,
        logicalDate,
        trigger,
        attempt,
        createdAt,
        startedAt,
        endedAt,
        error,
        owner);
  }

  public RunRecord restarted(RunState s, Instant startedAt, int attempt, String owner) {
    return new RunRecord(
        id,
        namespace,
        flowId,
        revision,
        s,
        inputs,
        logicalDate,
        trigger,
        attempt,
        createdAt,
        startedAt,
        null,
        null,
        owner);
  }
}
