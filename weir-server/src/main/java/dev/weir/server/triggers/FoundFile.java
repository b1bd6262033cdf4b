package dev.weir.server.triggers;

import java.time.Instant;

/**
 * A file a file trigger saw.
 *
 * @param path an absolute local path or an {@code s3://bucket/key} address
 */
record FoundFile(String path, long size, Instant modified) {
  /** What the trigger remembers it fired for: the path at this modification time. */
  String fireKey() {
    return path + "@" + modified.toEpochMilli();
  }

  String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
