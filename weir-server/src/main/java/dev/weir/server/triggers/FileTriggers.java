package dev.weir.server.triggers;

import dev.weir.WeirException;
import dev.weir.config.ConnectionConfig;
import dev.weir.config.ProjectConfig;
import dev.weir.flow.Flow;
import dev.weir.flow.trigger.FileTrigger;
import dev.weir.flow.trigger.OnProcessed;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.store.ServerStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code type: file} triggers: each enabled one is polled every {@code interval} (by the server's
 * clock). A file fires once it has settled (same size and modification time at two polls, or not
 * modified for one interval), once per path and modification time ({@link ServerStore#markFired}),
 * across restarts. After a run it started SUCCEEDS the file is moved or deleted as {@code
 * onProcessed} says; after a failure it stays where it is and does not fire again.
 */
public final class FileTriggers {
  private static final Logger log = LoggerFactory.getLogger(FileTriggers.class);

  private final FlowRegistry flows;
  private final StateStore store;
  private final ServerStore fires;
  private final Firing firing;
  private final InstantSource clock;
  private final Map<String, Watch> watches = new HashMap<>();

  /** What one trigger saw at its last poll. */
  private static final class Watch {
    Instant polled;
    Map<String, FoundFile> seen = Map.of();
    // fire keys known to have fired, so that a folder of kept files costs no query per poll
    java.util.Set<String> fired = new java.util.HashSet<>();
    String lastProblem;
  }

  FileTriggers(
      FlowRegistry flows, StateStore store, ServerStore fires, Firing firing, InstantSource clock) {
    this.flows = flows;
    this.store = store;
    this.fires = fires;
    this.firing = firing;
    this.clock = clock;
  }

  /** Polls the triggers whose interval has passed since their last poll. */
  synchronized void tick() {
    Instant now = clock.instant();
    var live = new java.util.HashSet<String>();
    for (DeployedFlow f : flows.all()) {
      for (FileTrigger t : triggers(f)) {
        String id = watchId(f, t);
        live.add(id);
        Watch w = watches.get(id);
        if (w == null || !now.isBefore(w.polled.plus(t.interval()))) {
          poll(f, t);
        }
      }
    }
    watches.keySet().retainAll(live);
  }

  /**
   * Polls every enabled file trigger now, whatever its interval.
   *
   * @return how many runs it started or queued
   */
  public synchronized int pollAll() {
    int started = 0;
    for (DeployedFlow f : flows.all()) {
      for (FileTrigger t : triggers(f)) {
        started += poll(f, t);
      }
    }
    return started;
  }

  private int poll(DeployedFlow f, FileTrigger t) {
    Watch w = watches.computeIfAbsent(watchId(f, t), k -> new Watch());
    Instant now = clock.instant();
    w.polled = now;
    int started = 0;
    try (FileSource source = open(f.flow(), f.file().getParent(), t)) {
      var files = source.list();
      Map<String, FoundFile> before = w.seen;
      w.seen = files.stream().collect(Collectors.toMap(FoundFile::path, Function.identity()));
      files.sort(Comparator.comparing(FoundFile::modified).thenComparing(FoundFile::path));
      for (FoundFile file : files) {
        boolean settled =
            file.equals(before.get(file.path()))
                || !file.modified().isAfter(now.minus(t.interval()));
        if (settled && !w.fired.contains(file.fireKey())) {
          switch (fire(f, t, file)) {
            case STARTED -> {
              started++;
              w.fired.add(file.fireKey());
            }
            case DONE -> w.fired.add(file.fireKey());
            case LATER -> {}
          }
        }
      }
      w.fired.retainAll(files.stream().map(FoundFile::fireKey).toList());
      w.lastProblem = null;
    } catch (IOException | WeirException e) {
      String problem = firing.engine().masker().mask(e.getMessage());
      if (!problem.equals(w.lastProblem)) { // once, not at every poll
        log.warn("file trigger {} of {} cannot look at {}: {}", t.id(), f.key(), t.path(), problem);
      }
      w.lastProblem = problem;
    }
    return started;
  }

  /** What became of a settled file: a run started, nothing to do ever again, or not yet. */
  private enum Fired {
    STARTED,
    DONE,
    LATER
  }

  private Fired fire(DeployedFlow f, FileTrigger t, FoundFile file) {
    String ns = f.flow().namespace();
    String id = f.flow().id();
    String key = file.fireKey();
    if (!firing.launcher().accepting()) {
      return Fired.LATER;
    }
    if (fires.hasFired(ns, id, t.id(), key)
        || !fires.markFired(ns, id, t.id(), key, clock.instant())) {
      return Fired.DONE;
    }
    var data = new LinkedHashMap<String, Object>();
    data.put("path", file.path());
    data.put("name", file.name());
    data.put("size", file.size());
    data.put("modified", file.modified().toString());
    try {
      var started = firing.start(f, t, data, null);
      if (started.run().isEmpty()) { // skipped by the flow's concurrency: try at the next poll
        fires.unmarkFired(ns, id, t.id(), key);
        return Fired.LATER;
      }
      fires.setFiredRun(ns, id, t.id(), key, started.run().get().id());
      log.info(
          "file trigger {} of {} started run {} for {} ({})",
          t.id(),
          f.key(),
          started.run().get().id(),
          file.path(),
          started.outcome());
      return started.outcome() == RunLauncher.Outcome.REFUSED ? Fired.DONE : Fired.STARTED;
    } catch (WeirException e) {
      if (!firing.launcher().accepting()) {
        fires.unmarkFired(ns, id, t.id(), key);
        return Fired.LATER;
      }
      log.warn(
          "file trigger {} of {} could not start a run for {}; it will not try again: {}",
          t.id(),
          f.key(),
          file.path(),
          firing.engine().masker().mask(e.getMessage()));
      return Fired.DONE;
    }
  }

  /** Moves or deletes the file of a file-triggered run that succeeded. */
  void runEnded(RunRecord run) {
    if (run.state() != RunState.SUCCEEDED || !FileTrigger.TYPE.equals(run.trigger())) {
      return;
    }
    Map<String, Object> data = Firing.decode(run.triggerData());
    Flow flow = flowOf(run).orElse(null);
    FileTrigger t =
        flow == null
            ? null
            : flow.triggers().stream()
                .filter(x -> x instanceof FileTrigger && x.id().equals(data.get("id")))
                .map(x -> (FileTrigger) x)
                .findFirst()
                .orElse(null);
    if (t == null
        || t.onProcessed() == OnProcessed.KEEP
        || !(data.get("path") instanceof String path)) {
      return;
    }
    try (FileSource source = open(flow, Path.of(run.flowFile()).getParent(), t)) {
      Optional<FoundFile> now = source.stat(path);
      if (now.isEmpty() || !now.get().modified().toString().equals(data.get("modified"))) {
        log.info(
            "run {} succeeded; {} is gone or changed since, so it is left alone", run.id(), path);
        return;
      }
      if (t.onProcessed() == OnProcessed.MOVE) {
        log.info(
            "run {} succeeded; moved {} to {}", run.id(), path, source.move(now.get(), run.id()));
      } else {
        source.delete(now.get());
        log.info("run {} succeeded; deleted {}", run.id(), path);
      }
    } catch (IOException | WeirException e) {
      log.warn(
          "run {} succeeded, but {} could not be {}: {}",
          run.id(),
          path,
          t.onProcessed() == OnProcessed.MOVE ? "moved to " + t.moveTo() : "deleted",
          firing.engine().masker().mask(e.getMessage()));
    }
  }

  /** The revision the run ran, which holds the trigger that fired it. */
  private Optional<Flow> flowOf(RunRecord run) {
    var current =
        flows.all().stream()
            .filter(d -> d.hash().equals(run.revision()))
            .map(DeployedFlow::flow)
            .findFirst();
    if (current.isPresent()) {
      return current;
    }
    return store
        .revisionText(run.revision())
        .map(text -> firing.engine().parser().parse(run.flowFile(), text));
  }

  private FileSource open(Flow flow, Path flowDir, FileTrigger t) {
    if (t.isSftp()) {
      return openSftp(flow, flowDir, t);
    }
    if (!t.isS3()) {
      return new LocalFiles(t, flowDir);
    }
    ConnectionConfig connection =
        t.connection() == null
            ? null
            : ProjectConfig.find(flowDir)
                .connection(
                    t.connection(),
                    s -> firing.engine().renderForTrigger(flow, s, FileTrigger.TYPE, null));
    return new S3Files(t, connection);
  }

  private FileSource openSftp(Flow flow, Path flowDir, FileTrigger t) {
    String name =
        t.connection() != null
            ? t.connection()
            : dev.weir.tasks.sftp.SftpPath.parse(t.path()).authority();
    ConnectionConfig connection =
        ProjectConfig.find(flowDir)
            .connection(
                name, s -> firing.engine().renderForTrigger(flow, s, FileTrigger.TYPE, null));
    dev.weir.task.TaskLogger logger =
        (level, message) -> {
          String masked = firing.engine().masker().mask(message);
          if (level == dev.weir.task.TaskLogger.Level.WARN) {
            log.warn("{}", masked);
          } else {
            log.info("{}", masked);
          }
        };
    return new SftpFiles(t, connection, flowDir, logger);
  }

  private static String watchId(DeployedFlow f, FileTrigger t) {
    return f.key() + "#" + t.id() + "#" + t.path();
  }

  private static java.util.List<FileTrigger> triggers(DeployedFlow f) {
    if (!f.enabled()) {
      return java.util.List.of();
    }
    return f.flow().triggers().stream()
        .filter(t -> t instanceof FileTrigger ft && !ft.disabled())
        .map(t -> (FileTrigger) t)
        .toList();
  }
}
