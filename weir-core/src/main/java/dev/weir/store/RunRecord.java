package dev.weir.store;

import java.time.Instant;

/**
 * One run of one flow revision as stored.
 *
 * @param flowFile absolute path of the flow file it ran from; relative paths resolve beside it
 * @param inputs the resolved inputs as a JSON object of their text forms
 * @param attempt 1, then +1 for each {@code weir retry}
 * @param owner who executes it now (host:pid), null when nobody does
 * @param triggerData what the trigger passed ({@code trigger.*} in expressions) as a JSON object,
 *     null for a manual run
 */
public record RunRecord(
    String id,
    String namespace,
    String flowId,
    String revision,
    String flowFile,
    RunState state,
    String inputs,
    Instant logicalDate,
    String trigger,
    int attempt,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt,
    String error,
    String owner,
    String triggerData) {

  public RunRecord(
      String id,
      String namespace,
      String flowId,
      String revision,
      String flowFile,
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
    this(
        id,
        namespace,
        flowId,
        revision,
        flowFile,
        state,
        inputs,
        logicalDate,
        trigger,
        attempt,
        createdAt,
        startedAt,
        endedAt,
        error,
        owner,
        null);
  }

  public RunRecord withOwner(RunState s, Instant started, String newOwner) {
    return new RunRecord(
        id,
        namespace,
        flowId,
        revision,
        flowFile,
        s,
        inputs,
        logicalDate,
        trigger,
        attempt,
        createdAt,
        started,
        endedAt,
        error,
        newOwner,
        triggerData);
  }

  public RunRecord withError(String why) {
    return new RunRecord(
        id,
        namespace,
        flowId,
        revision,
        flowFile,
        state,
        inputs,
        logicalDate,
        trigger,
        attempt,
        createdAt,
        startedAt,
        endedAt,
        why,
        owner,
        triggerData);
  }

  public RunRecord ended(RunState s, Instant at, String why) {
    return new RunRecord(
        id,
        namespace,
        flowId,
        revision,
        flowFile,
        s,
        inputs,
        logicalDate,
        trigger,
        attempt,
        createdAt,
        startedAt,
        at,
        why,
        null,
        triggerData);
  }

  public RunRecord restarted(RunState s, Instant started, int newAttempt, String newOwner) {
    return new RunRecord(
        id,
        namespace,
        flowId,
        revision,
        flowFile,
        s,
        inputs,
        logicalDate,
        trigger,
        newAttempt,
        createdAt,
        started,
        null,
        null,
        newOwner,
        triggerData);
  }
}
