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

  /**
   * The run as the API and {@code weir runs list --json} show it, without its inputs: id,
   * namespace, flow, revision, state, trigger, logicalDate, attempt, createdAt, startedAt, endedAt
   * (ISO-8601, null when not known) and error, passed through {@code mask}.
   */
  public java.util.Map<String, Object> toMap(java.util.function.UnaryOperator<String> mask) {
    var m = new java.util.LinkedHashMap<String, Object>();
    m.put("id", id);
    m.put("namespace", namespace);
    m.put("flow", flowId);
    m.put("revision", revision);
    m.put("state", state.name());
    m.put("trigger", trigger);
    m.put("logicalDate", iso(logicalDate));
    m.put("attempt", attempt);
    m.put("createdAt", iso(createdAt));
    m.put("startedAt", iso(startedAt));
    m.put("endedAt", iso(endedAt));
    m.put("error", mask.apply(error));
    return m;
  }

  private static String iso(Instant t) {
    return t == null ? null : t.toString();
  }
}
