package dev.weir.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The index of dead-letter batches ({@code weir_dead_letters}); the letters live elsewhere. */
public interface DeadLetterStore {
  /**
   * Records a batch, replacing the row of the same id (the same attempt run again); a batch of no
   * letters removes it.
   */
  void save(DeadLetterRecord batch);

  /** The batch with this id, or the only one whose id starts with it. */
  Optional<DeadLetterRecord> find(String idOrPrefix);

  /**
   * Batches newest first, at most {@code limit}; each filter is ignored when null.
   *
   * @param runId a run id or its prefix
   */
  List<DeadLetterRecord> list(String namespace, String flowId, String runId, int limit);

  /** Notes that a replay took the batch. */
  void markReplayed(String id, Instant at, String replayRun, String outcome);
}
