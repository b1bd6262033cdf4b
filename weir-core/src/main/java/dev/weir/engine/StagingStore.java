package dev.weir.engine;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A store every node of a cluster reads staged datasets from (an S3 bucket). Tasks still write and
 * read files in their node's own staging directory; the engine copies a succeeded attempt's dataset
 * here before its success is stored, and copies it into another node's directory when a task there
 * reads it (see {@link StagingArea}).
 *
 * <p>A key is a dataset file's path below the staging directory, with {@code /} between its parts:
 * {@code <run>/<task>/attempt-<n>-<nonce>/data.parquet}; its first part is always the run's id.
 *
 * <p>Failures are {@link dev.weir.task.TaskFailedException}s that say whether trying again may help
 * (the store could not be reached) or not (the bucket is missing, the credentials are refused), and
 * never show a credential.
 */
public interface StagingStore {
  /** Where the store is, for logs and messages ({@code s3://bucket/prefix}); no credentials. */
  String location();

  /** The address of one key, for messages ({@code s3://bucket/prefix/<key>}). */
  String url(String key);

  /** Uploads {@code file} as {@code key}, replacing what was there. */
  void put(Path file, String key);

  /**
   * Downloads {@code key} to {@code target}, which shows either its old content or the whole
   * object, checked against what {@link #put} recorded of it.
   *
   * @throws NoSuchFileException (message: the key's URL) when no object has this key
   */
  void get(String key, Path target) throws NoSuchFileException;

  /** The keys that start with {@code prefix}, in key order. */
  List<String> list(String prefix);

  /** The runs that have something staged here: the first parts of the keys. */
  Set<String> runIds();

  /** How much a run has staged here, and when it was last written. */
  Usage usage(String runId);

  /** Deletes everything staged for {@code runId}; deleting what is gone is no error. */
  void deleteRun(String runId);

  /** A run's objects: their bytes, and the newest one's time (EPOCH when there are none). */
  record Usage(long bytes, Instant lastWritten) {}
}
