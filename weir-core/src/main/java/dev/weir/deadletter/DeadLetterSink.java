package dev.weir.deadletter;

import dev.weir.store.DeadLetterRecord;
import dev.weir.store.DeadLetterStore;
import dev.weir.task.TaskFailedException;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@link DeadLetters} of one origin: streams each letter to its storage, then commits them
 * (replacing what the same origin wrote before), indexes the batch in the state store and judges
 * {@code maxRejected} — in {@link #storeThenCommit} before a task commits its target, or else in
 * {@link #finish} when the attempt ends. A stream commits its letters as it goes instead, a part
 * per batch ({@link #rejectDurably}), each indexed at once.
 */
public final class DeadLetterSink implements DeadLetters, AutoCloseable {
  private final DeadLetterSpec spec;
  private final Origin origin;
  private final String taskType;
  private final DeadLetterStorage.Batch batch;
  private final DeadLetterStore index;
  private final InstantSource clock;
  private final MaxRejected limit;
  private final LetterJson json;
  private final DurableParts parts;
  private final CommitFailures failures;
  private long rejected;
  private Map<String, Object> stored;
  private long durable; // of rejected, those committed as parts by rejectDurably
  private String lastPart;
  private long shareBase;
  private long handled;
  private String firstReason;
  private boolean done;
  private boolean keepEarlier;
  private boolean committedToStorage;

  private DeadLetterSink(
      DeadLetterSpec spec,
      Origin origin,
      String taskType,
      DeadLetterStorage storage,
      DeadLetterStorage.Environment env,
      UnaryOperator<String> mask,
      DeadLetterStore index,
      InstantSource clock)
      throws Exception {
    this.spec = spec;
    this.batch = storage.open(spec, origin, env);
    this.origin = origin;
    this.taskType = taskType;
    this.index = index;
    this.clock = clock;
    this.limit = spec.limit();
    this.json = new LetterJson(origin, taskType, mask, clock);
    this.parts = new DurableParts(spec, origin, taskType, storage, env, json, mask, index, clock);
    this.failures = new CommitFailures(spec, origin, storage, env, index, mask);
  }

  /**
   * Opens the dead letters of {@code origin}, for a task attempt (the engine does this) or for
   * server code without a task context.
   *
   * @param mask replaces secret values in text (records and reasons pass through it)
   * @param index the state store's index; null to keep no index
   * @throws IllegalArgumentException when no storage takes {@code spec}, naming the forms that work
   */
  public static DeadLetterSink open(
      DeadLetterSpec spec,
      Origin origin,
      String taskType,
      DeadLetterStorage.Environment env,
      UnaryOperator<String> mask,
      DeadLetterStore index,
      InstantSource clock)
      throws Exception {
    DeadLetterStorage storage = DeadLetterStorages.forSpec(spec);
    return new DeadLetterSink(spec, origin, taskType, storage, env, mask, index, clock);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public synchronized void reject(Object record, String reason) {
    if (done) {
      throw new IllegalStateException("the dead letters of " + origin + " are closed");
    }
    String why = json.reason(reason);
    var letter = json.letter(record, why);
    try {
      batch.add(letter);
    } catch (Exception e) {
      throw new TaskFailedException(
          "cannot write a dead letter to " + batch.location() + ": " + e.getMessage(),
          true,
          Map.of(),
          e);
    }
    if (firstReason == null) {
      firstReason = why;
    }
    rejected++;
  }

  @Override
  public synchronized String rejectDurably(String part, java.util.List<Letter> letters) {
    if (done) {
      throw new IllegalStateException("the dead letters of " + origin + " are closed");
    }
    DurableParts.Part written = parts.write(part, letters);
    if (firstReason == null) {
      firstReason = written.firstReason();
    }
    rejected += written.letters();
    durable += written.letters();
    lastPart = written.location();
    return written.location();
  }

  @Override
  public synchronized void shareOfAtLeast(long records) {
    shareBase = Math.max(0, records);
  }

  @Override
  public synchronized void handled(long records) {
    handled += records;
  }

  @Override
  public synchronized long rejected() {
    return rejected;
  }

  @Override
  public synchronized long handledCount() {
    return handled;
  }

  @Override
  public String location() {
    return batch.location();
  }

  @Override
  public synchronized boolean wouldExceed(long more, long handledInAll) {
    return limit.exceededBy(rejected + more, Math.max(shareBase, Math.max(handledInAll, handled)));
  }

  @Override
  public synchronized void keepEarlier() {
    keepEarlier = true;
  }

  /**
   * Commits the letters and indexes them, then judges {@code maxRejected}; when the task stored
   * them already through {@link #storeThenCommit}, only says what it stored.
   *
   * @return the outputs to add to the task's: {@code rejected} and {@code deadLetters}
   * @throws TaskFailedException (not retryable: the data will not change) when more records were
   *     set aside than {@code maxRejected} allows
   */
  public synchronized Map<String, Object> finish() throws Exception {
    if (stored != null) {
      return stored;
    }
    done = true;
    if (keepEarlier) {
      batch.close();
      var earlier = index == null ? null : earlier();
      var outputs = new java.util.LinkedHashMap<String, Object>();
      outputs.put("rejected", earlier == null ? 0L : earlier.letters());
      outputs.put("deadLetters", earlier == null ? "" : earlier.location());
      return outputs;
    }
    Map<String, Object> outputs = store();
    judge(outputs);
    return outputs;
  }

  // This attempt's own batch (a resumed run), else the latest earlier attempt's of the same run
  // and task: a retry after a commit whose outcome was unknown finds the append done by it
  private DeadLetterRecord earlier() {
    var own = index.find(origin.batchId()).filter(b -> b.id().equals(origin.batchId()));
    if (own.isPresent() || origin.runId() == null) {
      return own.orElse(null);
    }
    return index.list(origin.namespace(), origin.flowId(), origin.runId(), 100).stream()
        .filter(b -> origin.runId().equals(b.runId()) && origin.taskId().equals(b.taskId()))
        .filter(b -> b.attempt() < origin.attempt())
        .max(java.util.Comparator.comparingInt(DeadLetterRecord::attempt))
        .orElse(null);
  }

  @Override
  public void storeThenCommit(TargetCommit targetCommit) throws Exception {
    synchronized (this) {
      if (stored != null || done) {
        throw new IllegalStateException("the dead letters of " + origin + " are closed");
      }
      done = true;
      // kept even when too many: they show what was wrong, and the target stays as it was
      Map<String, Object> outputs;
      try {
        outputs = store();
      } catch (Exception e) {
        throw failures.storeFailed(e, batch.location(), rejected);
      }
      judge(outputs);
      stored = outputs;
    }
    try {
      targetCommit.commit();
    } catch (Exception | Error e) {
      if (CommitOutcome.clearlyFailed(e)) {
        withdraw(e);
      } else {
        keepUnknown(e);
      }
      throw e;
    }
  }

  private synchronized void keepUnknown(Throwable cause) {
    CommitFailures.keepUnknown(cause, rejected, rejected > durable ? batch.location() : lastPart);
  }

  private synchronized void withdraw(Throwable cause) {
    failures.withdraw(
        cause, index == null ? null : record(0, 0), committedToStorage, batch.location());
    stored = null;
  }

  private Map<String, Object> store() throws Exception {
    long kept = rejected - durable; // the parts are indexed already
    if (kept > 0 || mayHaveWrittenBefore()) {
      batch.commit();
      committedToStorage = true;
    } else {
      batch.close(); // a clean load must not need the dead-letter storage to be up
    }
    // the handled count may be short when a task counts only what it set aside
    long all = Math.max(handled, rejected);
    if (index != null) {
      index.save(record(kept, all));
    }
    var outputs = new java.util.LinkedHashMap<String, Object>();
    outputs.put("rejected", rejected);
    outputs.put("deadLetters", kept > 0 ? batch.location() : lastPart == null ? "" : lastPart);
    return outputs;
  }

  // An empty batch commits only to replace letters this origin (the same attempt of a resumed
  // run) wrote before; the index says whether it did. Without an index nobody can tell.
  private boolean mayHaveWrittenBefore() {
    if (index == null) {
      return true;
    }
    return index.find(origin.batchId()).filter(b -> b.id().equals(origin.batchId())).isPresent();
  }

  private void judge(Map<String, Object> outputs) {
    long all = Math.max(handled, rejected);
    if (limit.exceededBy(rejected, Math.max(all, shareBase))) {
      throw new TaskFailedException(
          tooMany(all, (String) outputs.get("deadLetters")), false, outputs, null);
    }
  }

  private DeadLetterRecord record(long letters, long all) {
    return new DeadLetterRecord(
        origin.batchId(),
        origin.namespace(),
        origin.flowId(),
        origin.runId(),
        origin.taskId(),
        origin.attempt(),
        taskType,
        batch.location(),
        letters,
        all,
        firstReason,
        clock.instant(),
        null,
        null,
        null);
  }

  private String tooMany(long all, String location) {
    return TooManyRejected.message(origin, rejected, all, limit, location, firstReason);
  }

  /** Drops letters not committed: an attempt that fails for another reason keeps none. */
  @Override
  public synchronized void close() throws Exception {
    done = true;
    batch.close();
  }

  public DeadLetterSpec spec() {
    return spec;
  }
}
