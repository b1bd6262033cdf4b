package dev.weir.deadletter;

import dev.weir.store.DeadLetterRecord;
import dev.weir.store.DeadLetterStore;
import dev.weir.task.TaskFailedException;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes the letters of a stream a part at a time: each part is committed to its own batch of the
 * storage and indexed at once, so what a stream set aside stays even if it later fails.
 */
final class DurableParts {
  /** What one part stored: where, and the first reason in it (null when it was empty). */
  record Part(String location, String firstReason, int letters) {}

  private final DeadLetterSpec spec;
  private final Origin origin;
  private final String taskType;
  private final DeadLetterStorage storage;
  private final DeadLetterStorage.Environment env;
  private final LetterJson json;
  private final UnaryOperator<String> mask;
  private final DeadLetterStore index;
  private final InstantSource clock;

  DurableParts(
      DeadLetterSpec spec,
      Origin origin,
      String taskType,
      DeadLetterStorage storage,
      DeadLetterStorage.Environment env,
      LetterJson json,
      UnaryOperator<String> mask,
      DeadLetterStore index,
      InstantSource clock) {
    this.spec = spec;
    this.origin = origin;
    this.taskType = taskType;
    this.storage = storage;
    this.env = env;
    this.json = json;
    this.mask = mask;
    this.index = index;
    this.clock = clock;
  }

  Part write(String part, List<DeadLetters.Letter> letters) {
    var partOrigin =
        new Origin(
            origin.namespace(),
            origin.flowId(),
            origin.runId(),
            origin.taskId(),
            origin.attempt(),
            part);
    String first = null;
    DeadLetterStorage.Batch b = null;
    try {
      b = storage.open(spec, partOrigin, env);
      for (DeadLetters.Letter l : letters) {
        String why = json.reason(l.reason());
        b.add(json.letter(l.record(), why));
        first = first == null ? why : first;
      }
      b.commit();
    } catch (Exception e) {
      throw new TaskFailedException(
          "cannot write dead letters to "
              + (b == null ? spec.table() != null ? spec.table() : spec.path() : b.location())
              + ": "
              + mask.apply(String.valueOf(e.getMessage())),
          true,
          Map.of(),
          e);
    } finally {
      if (b != null) {
        try {
          b.close();
        } catch (Exception e) {
          // committed or failing already: nothing more to drop
        }
      }
    }
    if (index != null) {
      index.save(
          new DeadLetterRecord(
              partOrigin.batchId(),
              origin.namespace(),
              origin.flowId(),
              origin.runId(),
              origin.taskId(),
              origin.attempt(),
              taskType,
              b.location(),
              letters.size(),
              letters.size(),
              first,
              clock.instant(),
              null,
              null,
              null));
    }
    return new Part(b.location(), first, letters.size());
  }
}
