package dev.weir.store;

import java.util.List;
import java.util.Map;

/**
 * Where a long-running stream task keeps its position in the source ({@code weir_stream_offsets}),
 * per task of a flow: a change data capture task saves the source offsets of a batch right after
 * the batch committed to its target, and reads them back when it starts again.
 */
public interface StreamOffsetStore {
  /** The stream of one task of one flow. */
  record StreamKey(String namespace, String flowId, String taskId) {
    public StreamKey {
      java.util.Objects.requireNonNull(namespace, "namespace");
      java.util.Objects.requireNonNull(flowId, "flowId");
      java.util.Objects.requireNonNull(taskId, "taskId");
    }
  }

  /** The offsets the stream saved, by key (Debezium: partition → position, as JSON text). */
  Map<String, String> offsets(StreamKey stream);

  /**
   * Saves offsets in one transaction: each entry replaces the one of the same key; a null value
   * removes it. Other keys stay.
   */
  void saveOffsets(StreamKey stream, Map<String, String> entries);

  /** The schema history the stream appended, oldest first (cdc.mysql replays it on start). */
  List<String> history(StreamKey stream);

  /** Appends records to the schema history, after those there are, in one transaction. */
  void appendHistory(StreamKey stream, List<String> records);

  /** Forgets the stream's offsets and history: its next start reads the source from scratch. */
  void clear(StreamKey stream);
}
