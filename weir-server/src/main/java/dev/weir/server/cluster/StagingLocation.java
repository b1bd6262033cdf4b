package dev.weir.server.cluster;

import dev.weir.WeirException;
import dev.weir.engine.StagingArea;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.s3.S3Path;
import dev.weir.tasks.s3.S3StagingStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node stages datasets ({@code --staging}): a directory, which the nodes of a cluster share
 * on a file system mounted at the same path; or an S3 address ({@code s3://bucket/prefix}), which
 * every node reads and writes, each caching it in {@code <home>/staging-cache}.
 *
 * @param dir the directory, or null for S3
 * @param s3 the S3 address, or null for a directory
 */
public record StagingLocation(Path dir, String s3) {
  private static final Logger log = LoggerFactory.getLogger(StagingLocation.class);

  public StagingLocation {
    if ((dir == null) == (s3 == null)) {
      throw new IllegalArgumentException("a staging location is a directory or an S3 address");
    }
  }

  public static StagingLocation dir(Path dir) {
    return new StagingLocation(dir, null);
  }

  /**
   * {@code --staging} as given: an S3 address, or a directory {@code resolve} makes absolute.
   *
   * @throws WeirException when an S3 address is not one
   */
  public static StagingLocation parse(String text, UnaryOperator<Path> resolve) {
    if (!S3Path.isS3(text)) {
      return dir(resolve.apply(Path.of(text)));
    }
    try {
      S3Path.parse(text);
    } catch (IllegalArgumentException e) {
      throw new WeirException("--staging: " + e.getMessage());
    }
    return new StagingLocation(null, text);
  }

  public boolean isS3() {
    return s3 != null;
  }

  /**
   * The staging area of a node whose home is {@code home}: {@code dir}, or the S3 store reached
   * with the {@code WEIR_STAGING_S3_*} settings of {@code env} and cached in {@code
   * <home>/staging-cache}. The S3 store is asked for its bucket first: a wrong bucket or refused
   * credentials stop the node here; a store that does not answer yet is logged, and the node
   * starts.
   *
   * @param location null for {@code <home>/staging}
   * @throws WeirException when the S3 settings are wrong
   */
  public static StagingArea open(StagingLocation location, Path home, Map<String, String> env) {
    if (location == null) {
      return StagingArea.local(home.resolve("staging"));
    }
    if (!location.isS3()) {
      return StagingArea.local(location.dir());
    }
    S3StagingStore store = S3StagingStore.open(location.s3(), env);
    var area = new StagingArea(home.resolve("staging-cache"), store);
    try {
      store.check();
    } catch (TaskFailedException e) {
      if (!e.retryable()) {
        store.close();
        throw new WeirException("--staging " + location.s3() + ": " + e.getMessage(), e);
      }
      log.warn(
          "staging: {} does not answer yet ({}); tasks that stage datasets fail until it does",
          store.location(),
          e.getMessage());
    }
    log.info("staging: {} ({}), cached in {}", store.location(), store.settings(), area.dir());
    return area;
  }

  /** Closes what {@link #open} opened for {@code area}. */
  public static void close(StagingArea area) {
    if (area != null && area.shared() instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing the staging store {} failed: {}", area.shared().location(), e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return isS3() ? s3 : dir.toString();
  }
}
