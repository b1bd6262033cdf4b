package dev.weir.tasks.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weir's own entries among a task's stream offsets, next to Debezium's: {@link #KEY} says that a
 * snapshot is being applied to the target. Debezium restarts a snapshot stopped halfway from
 * scratch, and rows the first one copied that the source deleted since are in neither the new
 * snapshot nor the stream: a start that finds the mark empties the target tables first. The mark is
 * written before a snapshot's first batch is applied and removed with the offsets of the batch that
 * finishes it (in the same save).
 */
final class SnapshotMark {
  /** Where Weir's entries start; Debezium's keys are JSON arrays, never this. */
  static final String PREFIX = "weir.";

  static final String KEY = PREFIX + "snapshot";
  static final String STARTED = "started";

  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotMark() {}

  static boolean isWeirs(String key) {
    return key != null && key.startsWith(PREFIX);
  }

  /** Debezium's entries of stored offsets, without Weir's. */
  static Map<String, String> debeziums(Map<String, String> stored) {
    var out = new LinkedHashMap<String, String>();
    stored.forEach((k, v) -> {
      if (!isWeirs(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /**
   * Whether Debezium's offsets are those of an initial snapshot it has not finished (which it
   * restarts from scratch): {@code snapshot} set, and neither the last snapshot record nor a
   * completed snapshot noted.
   */
  static boolean unfinished(Map<String, String> debeziums) {
    for (String value : debeziums.values()) {
      if (value == null) {
        continue;
      }
      JsonNode offset;
      try {
        offset = JSON.readTree(value);
      } catch (JsonProcessingException e) {
        continue;
      }
      if (offset == null || !offset.isObject()) {
        continue;
      }
      JsonNode snapshot = offset.get("snapshot");
      boolean initial =
          snapshot != null
              && (snapshot.asText().equalsIgnoreCase("true")
                  || snapshot.asText().equalsIgnoreCase("INITIAL"));
      if (initial
          && !offset.path("last_snapshot_record").asBoolean(false)
          && !offset.path("snapshot_completed").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }
}
