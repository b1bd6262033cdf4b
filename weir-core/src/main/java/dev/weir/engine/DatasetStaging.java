package dev.weir.engine;

import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Where the attempts of this engine stage datasets and find their upstream ones ({@link
 * StagingArea}). With a shared store, a succeeded attempt's dataset is copied there before its
 * success is stored — so a dataset the store records can always be read by any node — and a dataset
 * another node staged is copied into this node's directory when a task here reads it.
 */
final class DatasetStaging {
  private final StagingArea area;

  DatasetStaging(StagingArea area) {
    this.area = area;
  }

  Path root() {
    return area.dir();
  }

  /**
   * The directory of one attempt below its task's: {@code attempt-<n>}. With a shared store, a
   * random suffix makes it {@code attempt-<n>-<nonce>}: an attempt that two nodes both ran (a node
   * that was paused past its lease, and the one that took its work) then never overwrites the
   * other's copy, and a file this node finds under a key is exactly the one the key names.
   */
  String attemptDir(int attempt) {
    String dir = "attempt-" + attempt;
    return area.isShared()
        ? dir + "-" + String.format("%08x", ThreadLocalRandom.current().nextInt())
        : dir;
  }

  /**
   * Copies the dataset a task of {@code runId} just staged to the shared store (nothing without
   * one), on the attempt's thread, before the attempt says it succeeded.
   *
   * @throws TaskFailedException when it cannot, retryable when trying again may help
   */
  void publish(String runId, String taskId, int attempt, Dataset d, TaskLogger log) {
    if (!area.isShared() || d == null) {
      return;
    }
    StagingStore store = area.shared();
    Path file = d.path();
    String key = key(runId, file);
    if (key == null || !file.toAbsolutePath().startsWith(root().toAbsolutePath())) {
      throw TaskFailedException.permanent(
          "task '"
              + taskId
              + "' returned a dataset at "
              + file
              + ", outside its staging directory "
              + root()
              + ", so it cannot be copied to the shared staging "
              + store.location()
              + " for the other nodes; write it under context.stagingDir()");
    }
    long started = System.nanoTime();
    long bytes = 0;
    try {
      for (Path f : files(file)) {
        String k = f.equals(file) ? key : key + "/" + join(file.relativize(f));
        store.put(f, k);
        bytes += Files.size(f);
      }
    } catch (TaskFailedException e) {
      throw new TaskFailedException(
          "task '"
              + taskId
              + "' (attempt "
              + attempt
              + ") staged its dataset, but it could not be copied to the shared staging "
              + store.location()
              + ", where the other nodes read it: "
              + e.getMessage()
              + (e.retryable() ? "" : " (trying again will not help)"),
          e.retryable(),
          Map.of(),
          e);
    } catch (IOException | UncheckedIOException e) {
      throw new TaskFailedException(
          "task '" + taskId + "': cannot read its staged dataset " + file + ": " + e,
          true,
          Map.of(),
          e);
    }
    log.info(
        "dataset copied to the shared staging: "
            + store.url(key)
            + " ("
            + bytes
            + " bytes, "
            + millis(started)
            + " ms)");
  }

  /**
   * {@code d}, the dataset of {@code taskId} in {@code runId}, at a path of this node: as it is
   * without a shared store or when its files are here, else copied here from the shared store.
   *
   * @throws TaskFailedException when it is not in the shared store (not retryable) or cannot be
   *     copied (retryable when trying again may help)
   */
  Dataset local(String runId, String taskId, Dataset d, TaskLogger log) {
    if (!area.isShared()) {
      return d;
    }
    String key = key(runId, d.path());
    if (key == null) {
      return d; // not staged by an engine: a path every node sees, or none does
    }
    Path here = root().resolve(key);
    if (!Files.exists(here)) {
      long started = System.nanoTime();
      fetch(runId, taskId, key, here);
      log.info(
          "dataset of '"
              + taskId
              + "' copied from the shared staging: "
              + area.shared().url(key)
              + " ("
              + size(here)
              + " bytes, "
              + millis(started)
              + " ms)");
    }
    return here.equals(d.path())
        ? d
        : new Dataset(d.taskId(), here, d.schema(), d.rowCount(), d.checksum());
  }

  /**
   * Whether a succeeded task's dataset can still be read, so that a retry keeps the task: its file
   * is here, or in the shared store. When the shared store cannot be asked, the task is kept: a
   * task that reads the dataset then fails and is retried as the run's policy says.
   */
  boolean present(String runId, Dataset d) {
    if (d == null || Files.exists(d.path())) {
      return true;
    }
    String key = area.isShared() ? key(runId, d.path()) : null;
    if (key == null) {
      return false;
    }
    if (Files.exists(root().resolve(key))) {
      return true;
    }
    try {
      return area.shared().list(key).stream()
          .anyMatch(k -> k.equals(key) || k.startsWith(key + "/"));
    } catch (RuntimeException e) {
      return true;
    }
  }

  private void fetch(String runId, String taskId, String key, Path here) {
    StagingStore store = area.shared();
    boolean found;
    try {
      found = copy(store, key, here);
    } catch (TaskFailedException e) {
      throw new TaskFailedException(
          "the dataset of task '"
              + taskId
              + "' of run "
              + runId
              + " could not be copied from the shared staging "
              + store.url(key)
              + ": "
              + e.getMessage(),
          e.retryable(),
          Map.of(),
          e);
    } catch (IOException e) {
      throw new TaskFailedException(
          "the dataset of task '" + taskId + "' cannot be written to " + here + ": " + e,
          true,
          Map.of(),
          e);
    }
    if (!found) {
      throw missing(runId, taskId, store.url(key));
    }
  }

  /** Whether {@code key} was there: one object, or a directory of them. */
  private static boolean copy(StagingStore store, String key, Path here) throws IOException {
    try {
      store.get(key, here);
      return true;
    } catch (NoSuchFileException file) {
      List<String> parts = store.list(key + "/");
      if (parts.isEmpty()) {
        return false;
      }
      fetchDirectory(store, key, parts, here);
      return true;
    }
  }

  // a dataset that is a directory of files: all of them, or none, show up at once
  private static void fetchDirectory(StagingStore store, String key, List<String> parts, Path here)
      throws IOException {
    Path temp = here.resolveSibling("." + here.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      for (String part : parts) {
        store.get(part, temp.resolve(part.substring(key.length() + 1)));
      }
      try {
        Files.move(temp, here, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException
          | java.nio.file.DirectoryNotEmptyException fetchedMeanwhile) {
        // another task of this node fetched the same dataset at the same moment: it is here
      }
    } catch (NoSuchFileException gone) {
      throw new TaskFailedException(
          "a part of " + store.url(key) + " went while it was copied: " + gone.getMessage(),
          true,
          Map.of(),
          gone);
    } finally {
      deleteTree(temp);
    }
  }

  private TaskFailedException missing(String runId, String taskId, String url) {
    var cause = new NoSuchFileException(url);
    return new TaskFailedException(
        "the dataset of task '"
            + taskId
            + "' of run "
            + runId
            + " is not in the shared staging: "
            + url
            + " does not exist (deleted by the staging retention, or by hand); retry the run"
            + " (`weir retry "
            + runId
            + "`) to run '"
            + taskId
            + "' again",
        false,
        Map.of(),
        cause);
  }

  /**
   * The key of a file an engine staged for {@code runId}: its path from the run's directory on,
   * {@code <run>/<task>/attempt-<n>-<nonce>/data.parquet}, whichever node's directory it is in;
   * null when the path has no such part.
   */
  static String key(String runId, Path path) {
    for (int i = path.getNameCount() - 2; i >= 0; i--) {
      if (path.getName(i).toString().equals(runId)) {
        return join(path.subpath(i, path.getNameCount()));
      }
    }
    return null;
  }

  private static String join(Path relative) {
    var parts = new ArrayList<String>();
    relative.forEach(p -> parts.add(p.toString()));
    return String.join("/", parts);
  }

  private static List<Path> files(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static long size(Path path) {
    try {
      long total = 0;
      for (Path f : files(path)) {
        total += Files.size(f);
      }
      return total;
    } catch (IOException e) {
      return -1;
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind; the staging retention takes it with its run
    }
  }

  private static long millis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
