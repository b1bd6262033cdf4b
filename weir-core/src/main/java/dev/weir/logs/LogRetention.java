package dev.weir.logs;

import dev.weir.flow.Durations;
import dev.weir.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the logs of runs that ended more than {@code retention} ago: their lines in the store and
 * their {@link JsonLogFiles} files. A run still going keeps its logs however old they are. A file
 * whose run the store does not know is deleted when it was last written before the cutoff.
 */
public final class LogRetention {
  private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);
  private static final String SUFFIX = ".jsonl";

  private final StateStore store;
  private final Path dir;
  private final Duration retention;
  private final InstantSource clock;

  /** What one sweep deleted. */
  public record Swept(Instant cutoff, int storeLines, int files) {}

  /**
   * @param dir the log files' root, or null when there are none
   * @param retention how long logs are kept after their run ended (> 0)
   */
  public LogRetention(StateStore store, Path dir, Duration retention, InstantSource clock) {
    if (retention == null || retention.isZero() || retention.isNegative()) {
      throw new IllegalArgumentException(
          "logs.retention must be a positive duration such as 30d, got " + retention);
    }
    this.store = store;
    this.dir = dir;
    this.retention = retention;
    this.clock = clock;
  }

  public Duration retention() {
    return retention;
  }

  /** Deletes what is older than the retention now. */
  public Swept sweep() {
    Instant cutoff = clock.instant().minus(retention);
    int lines = store.deleteLogsOfRunsEndedBefore(cutoff);
    int files = dir == null ? 0 : sweepFiles(cutoff);
    if (lines > 0 || files > 0) {
      LOG.info(
          "log retention ({}): deleted {} stored line(s) and {} file(s) of runs ended before {}",
          Durations.format(retention),
          lines,
          files,
          cutoff);
    }
    return new Swept(cutoff, lines, files);
  }

  private int sweepFiles(Instant cutoff) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    var byRun = new HashMap<String, Path>();
    try (Stream<Path> walk = Files.walk(dir, 3)) {
      walk.filter(f -> f.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(f))
          .forEach(f -> {
            String name = f.getFileName().toString();
            byRun.put(name.substring(0, name.length() - SUFFIX.length()), f);
          });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("log retention could not list {}: {}", dir, e.toString());
      return 0;
    }
    Map<String, Instant> ended = store.endedAt(byRun.keySet());
    int deleted = 0;
    for (var e : byRun.entrySet()) {
      Instant end = ended.get(e.getKey());
      boolean old =
          end != null ? end.isBefore(cutoff) : unknownAndOld(e.getKey(), e.getValue(), cutoff);
      if (old && delete(e.getValue())) {
        deleted++;
      }
    }
    return deleted;
  }

  // a run the store no longer has (or never had): judged by when its file was last written
  private boolean unknownAndOld(String runId, Path f, Instant cutoff) {
    if (store.findRun(runId).isPresent()) {
      return false; // known and not ended yet
    }
    try {
      return Files.getLastModifiedTime(f).toInstant().isBefore(cutoff);
    } catch (IOException e) {
      return false;
    }
  }

  private boolean delete(Path f) {
    try {
      Files.deleteIfExists(f);
      // the flow's and namespace's folders go when they are empty
      for (Path p = f.getParent();
          p != null && !p.equals(dir) && p.startsWith(dir);
          p = p.getParent()) {
        Files.delete(p);
      }
      return true;
    } catch (DirectoryNotEmptyException | NoSuchFileException e) {
      return true;
    } catch (IOException e) {
      LOG.warn("log retention could not delete {}: {}", f, e.toString());
      return false;
    }
  }
}
