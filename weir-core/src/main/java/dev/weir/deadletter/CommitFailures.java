package dev.weir.deadletter;

import dev.weir.store.DeadLetterRecord;
import dev.weir.store.DeadLetterStore;
import dev.weir.task.TaskFailedException;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What {@link DeadLetterSink#storeThenCommit} does when a step fails: the letters could not be
 * stored (the target is left alone), the target surely did not commit (its letters are withdrawn)
 * or its commit's outcome is unknown (they are kept, and the failure says so).
 */
final class CommitFailures {
  private final DeadLetterSpec spec;
  private final Origin origin;
  private final DeadLetterStorage storage;
  private final DeadLetterStorage.Environment env;
  private final DeadLetterStore index;
  private final UnaryOperator<String> mask;

  CommitFailures(
      DeadLetterSpec spec,
      Origin origin,
      DeadLetterStorage storage,
      DeadLetterStorage.Environment env,
      DeadLetterStore index,
      UnaryOperator<String> mask) {
    this.spec = spec;
    this.origin = origin;
    this.storage = storage;
    this.env = env;
    this.index = index;
    this.mask = mask;
  }

  /** The failure of a task whose letters could not be stored before its target's commit. */
  TaskFailedException storeFailed(Exception e, String location, long rejected) {
    return new TaskFailedException(
        "cannot store the dead letters of task "
            + origin.taskId()
            + " at "
            + location
            + " ("
            + rejected
            + " set aside): "
            + mask.apply(
                e instanceof java.io.IOException
                    ? e.getClass().getSimpleName() + ": " + e.getMessage()
                    : String.valueOf(e.getMessage()))
            + "; nothing was committed to the target. Make the dead-letter storage reachable"
            + " (deadLetter: path or table) and retry the run",
        true,
        Map.of(),
        e);
  }

  // the commit may have landed (its reply was lost): a retry that finds the append done keeps
  // what it finds, so the letters stay; if it did not land, the retry sets the rows aside again
  static void keepUnknown(Throwable cause, long rejected, String location) {
    if (rejected == 0) {
      return;
    }
    cause.addSuppressed(
        new CommitOutcome.LettersKept(
            "the target's commit may have succeeded (its outcome is unknown), so its "
                + rejected
                + " dead letters at "
                + location
                + " were kept; if it did not commit, a retry sets the same rows aside again"));
  }

  /**
   * The target did not commit: its letters must not stay to be replayed into it. Indexes {@code
   * emptied} (the batch with no letters) and, when the batch reached the storage, replaces it by an
   * empty one.
   */
  void withdraw(
      Throwable cause, DeadLetterRecord emptied, boolean committedToStorage, String location) {
    try {
      if (index != null) {
        index.save(emptied);
      }
      if (committedToStorage) {
        try (DeadLetterStorage.Batch none = storage.open(spec, origin, env)) {
          none.commit();
        }
      }
    } catch (Exception e) {
      cause.addSuppressed(
          new IllegalStateException(
              "the letters at "
                  + location
                  + " belong to a load that did not commit, and could not be removed: "
                  + mask.apply(String.valueOf(e.getMessage())),
              e));
    }
  }
}
