package dev.weir.staging;

import dev.weir.engine.StagingArea;
import dev.weir.engine.StagingStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link StagingPolicy} to a home's staging area ({@code <home>/staging/<run>/…}), and to
 * the runs in the cluster's shared staging store when there is one ({@link StagingArea#shared()}):
 * a run's staging is deleted there and here together.
 *
 * <p>It walks the run directories that exist (and the runs the shared store lists), not the runs in
 * the store: once the policy has been applied only a few are left, so a sweep after every run stays
 * cheap however many runs the store remembers.
 */
public final class StagingGc {
  private static final Logger LOG = LoggerFactory.getLogger(StagingGc.class);

  private final StateStore store;
  private final Path root;
  private final StagingStore shared;
  private final StagingPolicy policy;
  private final InstantSource clock;

  /** Why a run's staging is deleted or kept. */
  public enum Verdict {
    DELETE_EXPIRED("ended longer ago than the retention"),
    DELETE_SUPERSEDED("a newer run of its flow exists"),
    DELETE_UNKNOWN_RUN("no run of that id in the store, untouched for longer than the retention"),
    KEEP_NOT_ENDED("the run has not ended"),
    KEEP_FAILED("failed or cancelled: `weir retry` reuses it"),
    KEEP_LATEST("the latest run of its flow: `weir run --task/--from` reuse it"),
    KEEP_UNKNOWN_RUN("no run of that id in the store, but written within the retention");

    public final String reason;

    Verdict(String reason) {
      this.reason = reason;
    }

    public boolean deletes() {
      return name().startsWith("DELETE");
    }
  }

  /** One run directory and what the policy says of it; bytes -1 when not measured. */
  public record Entry(String runId, Path dir, long bytes, Verdict verdict, RunRecord run) {}

  /** What a sweep found and did. */
  public record Swept(List<Entry> entries, boolean applied) {
    public List<Entry> deleted() {
      return entries.stream().filter(e -> e.verdict().deletes()).toList();
    }

    public long deletedBytes() {
      return deleted().stream().mapToLong(Entry::bytes).sum();
    }

    public long keptBytes() {
      return entries.stream()
          .filter(e -> !e.verdict().deletes())
          .mapToLong(e -> Math.max(0, e.bytes()))
          .sum();
    }
  }

  /**
   * @param stagingRoot {@code <home>/staging}
   */
  public StagingGc(StateStore store, Path stagingRoot, StagingPolicy policy, InstantSource clock) {
    this(store, StagingArea.local(stagingRoot), policy, clock);
  }

  /** The retention of {@code area}: its directory, and its shared store when it has one. */
  public StagingGc(StateStore store, StagingArea area, StagingPolicy policy, InstantSource clock) {
    this.store = store;
    this.root = area.dir();
    this.shared = area.shared();
    this.policy = policy;
    this.clock = clock;
  }

  public StagingPolicy policy() {
    return policy;
  }

  /** What {@link #sweep} would delete, deleting nothing; every directory is measured. */
  public Swept plan() {
    return new Swept(judge(true), false);
  }

  /**
   * Deletes what the policy says can go, now. Only what it deletes is measured (a kept entry's
   * bytes are -1): after every run, walking every kept directory would be I/O for nothing.
   */
  public Swept sweep() {
    return sweep(false);
  }

  /**
   * As {@link #sweep()}, measuring what it keeps too when {@code measureKept} ({@code weir gc}).
   */
  public Swept sweep(boolean measureKept) {
    List<Entry> entries = judge(measureKept);
    for (Entry e : entries) {
      if (e.verdict().deletes()) {
        delete(e.dir());
        deleteShared(e.runId());
      }
    }
    var swept = new Swept(entries, true);
    if (!swept.deleted().isEmpty()) {
      LOG.info(
          "staging retention ({}): deleted the staging of {} run(s), {} bytes",
          policy,
          swept.deleted().size(),
          swept.deletedBytes());
    }
    return swept;
  }

  private List<Entry> judge(boolean measureKept) {
    Set<String> remote = sharedRunIds();
    Set<String> runIds = new TreeSet<>(remote);
    runIds.addAll(localRunIds());
    Instant now = clock.instant();
    Instant cutoff = now.minus(policy.retention());
    Map<String, Optional<String>> latestOfFlow = new HashMap<>();
    var out = new ArrayList<Entry>();
    for (String runId : runIds) {
      Path dir = root.resolve(runId);
      Optional<RunRecord> found = store.findRun(runId);
      boolean inShared = remote.contains(runId);
      Verdict v;
      if (found.isEmpty()) {
        v =
            lastWritten(dir, inShared).isBefore(cutoff)
                ? Verdict.DELETE_UNKNOWN_RUN
                : Verdict.KEEP_UNKNOWN_RUN;
      } else {
        RunRecord run = found.get();
        String flowKey = run.namespace() + "\u0000" + run.flowId();
        Optional<String> latest =
            latestOfFlow.computeIfAbsent(flowKey, k -> latestRunId(run.namespace(), run.flowId()));
        v = verdict(run, cutoff, latest.map(run.id()::equals).orElse(false));
      }
      long bytes = v.deletes() || measureKept ? size(dir, inShared) : -1;
      out.add(new Entry(runId, dir, bytes, v, found.orElse(null)));
    }
    return out;
  }

  private List<String> localRunIds() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(root)) {
      return list.filter(Files::isDirectory).map(d -> d.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the staging directory " + root, e);
    }
  }

  // a shared store that does not answer leaves its runs for the next sweep; the directory is swept
  private Set<String> sharedRunIds() {
    if (shared == null) {
      return Set.of();
    }
    try {
      return shared.runIds();
    } catch (RuntimeException e) {
      LOG.warn(
          "staging retention: cannot list the runs in the shared staging {}; only {} is swept"
              + " this time: {}",
          shared.location(),
          root,
          e.getMessage());
      return Set.of();
    }
  }

  private void deleteShared(String runId) {
    if (shared == null) {
      return;
    }
    try {
      shared.deleteRun(runId);
    } catch (RuntimeException e) {
      // it is listed again at the next sweep, and deleted then
      LOG.warn(
          "staging retention: cannot delete the staging of run {} in {}: {}",
          runId,
          shared.location(),
          e.getMessage());
    }
  }

  private Instant lastWritten(Path dir, boolean inShared) {
    Instant local = Files.isDirectory(dir) ? lastWritten(dir) : Instant.EPOCH;
    if (!inShared) {
      return local;
    }
    try {
      Instant remote = shared.usage(dir.getFileName().toString()).lastWritten();
      return remote.isAfter(local) ? remote : local;
    } catch (RuntimeException e) {
      return clock.instant(); // cannot tell: keep it rather than guess
    }
  }

  private long size(Path dir, boolean inShared) {
    long bytes = Files.isDirectory(dir) ? size(dir) : 0;
    if (inShared) {
      try {
        bytes += shared.usage(dir.getFileName().toString()).bytes();
      } catch (RuntimeException e) {
        // measured as far as it can be
      }
    }
    return bytes;
  }

  private Verdict verdict(RunRecord run, Instant cutoff, boolean latest) {
    if (!run.state().isTerminal()) {
      return Verdict.KEEP_NOT_ENDED;
    }
    Instant ended = run.endedAt() != null ? run.endedAt() : run.createdAt();
    if (!ended.isAfter(cutoff)) {
      return Verdict.DELETE_EXPIRED;
    }
    boolean failed = run.state() == RunState.FAILED || run.state() == RunState.CANCELLED;
    if (failed && policy.keepFailed()) {
      return Verdict.KEEP_FAILED;
    }
    return latest ? Verdict.KEEP_LATEST : Verdict.DELETE_SUPERSEDED;
  }

  private Optional<String> latestRunId(String namespace, String flowId) {
    return store.listRuns(new StateStore.RunQuery(namespace, flowId, null, 1)).stream()
        .findFirst()
        .map(RunRecord::id);
  }

  private static Instant lastWritten(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.map(StagingGc::modified).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
    } catch (IOException | UncheckedIOException e) {
      return Instant.now(); // unreadable: keep it rather than guess
    }
  }

  private static Instant modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  private static long size(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(StagingGc::length).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  private static long length(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.delete(p);
        } catch (NoSuchFileException gone) {
          // deleted by another sweep at the same time
        }
      }
    } catch (NoSuchFileException gone) {
      // the same
    } catch (IOException e) {
      LOG.warn("cannot delete the staging directory {}: {}", dir, e.toString());
    }
  }
}
