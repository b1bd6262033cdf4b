package dev.weir.engine;

import java.nio.file.Path;

/**
 * Where an engine's tasks stage datasets: a directory of this machine, and, for a cluster whose
 * nodes share no file system, a {@link StagingStore} every node reads from.
 *
 * @param dir where tasks write and read their files ({@code <dir>/<run>/<task>/attempt-<n>/}); with
 *     a shared store, this node's cache of it
 * @param shared where datasets are copied for the other nodes; null when {@code dir} is all there
 *     is (one machine, or a directory every node mounts at the same path)
 */
public record StagingArea(Path dir, StagingStore shared) {
  public StagingArea {
    if (dir == null) {
      throw new IllegalArgumentException("a staging area needs a local directory");
    }
  }

  /** Staging in {@code dir} only. */
  public static StagingArea local(Path dir) {
    return new StagingArea(dir, null);
  }

  public boolean isShared() {
    return shared != null;
  }

  /** For logs: the directory, or the store and the directory that caches it. */
  @Override
  public String toString() {
    return shared == null ? dir.toString() : shared.location() + " (cached in " + dir + ")";
  }
}
