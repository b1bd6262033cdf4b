package dev.weir.task;

import java.util.List;
import java.util.Map;

/**
 * The position of a long-running stream task in its source (a change data capture task's offsets),
 * kept in Weir's state store for this task of this flow across runs and restarts.
 */
public interface StreamOffsets {
  /** The offsets saved last, by key; empty when the stream never committed a batch. */
  Map<String, String> load();

  /** Saves offsets: each entry replaces the one of its key, a null value removes it. */
  void save(Map<String, String> entries);

  /** The schema history appended so far, oldest first. */
  List<String> history();

  void appendHistory(List<String> records);

  /** Forgets offsets and history: the next start reads the source from scratch. */
  void clear();
}
