package dev.weir.server.streams;

import dev.weir.WeirException;
import dev.weir.flow.RetryPolicy;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.store.ServerStore;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.task.TaskRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one run going of every stream flow ({@link StreamFlows}): starts it when the flow is
 * deployed, again with backoff when it fails or is cancelled, cancels it when the flow is disabled
 * or a new revision replaces it. Only the node that leads the flows keeps streams, and each start
 * is recorded under a key unique to the run it follows (in the transaction that stores the run), so
 * two nodes that both think they lead for a moment start one run, not two. A node that dies with a
 * stream's run has it adopted by another node like any run.
 */
public final class StreamKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamKeeper.class);
  static final String TRIGGER = "stream";
  private static final int RECENT_RUNS = 12;

  private final FlowRegistry flows;
  private final StateStore store;
  private final ServerStore fires;
  private final RunLauncher launcher;
  private final TaskRegistry types;
  private final InstantSource clock;
  private final BooleanSupplier leads;
  private final RetryPolicy backoff;
  // the last thing said about each flow, so that a waiting stream is logged once, not every tick
  private final Map<String, String> said = new HashMap<>();
  private final ScheduledExecutorService ticks =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("weir-streams").factory());

  public StreamKeeper(
      FlowRegistry flows,
      StateStore store,
      ServerStore fires,
      RunLauncher launcher,
      TaskRegistry types,
      InstantSource clock,
      BooleanSupplier leads,
      RetryPolicy backoff) {
    this.flows = flows;
    this.store = store;
    this.fires = fires;
    this.launcher = launcher;
    this.types = types;
    this.clock = clock;
    this.leads = leads;
    this.backoff = backoff == null ? Restart.DEFAULT_BACKOFF : backoff;
  }

  /** Ticks every {@code interval} from now on. */
  public StreamKeeper start(Duration interval) {
    long ms = interval.toMillis();
    ticks.scheduleWithFixedDelay(this::tickQuietly, 0, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One pass over the deployed flows; returns how many stream runs it started. */
  public synchronized int tick() {
    if (!leads.getAsBoolean() || !launcher.accepting()) {
      return 0;
    }
    int started = 0;
    var live = new java.util.HashSet<String>();
    for (DeployedFlow f : flows.all()) {
      if (StreamFlows.isStream(f.flow(), types)) {
        live.add(f.key().toString());
        started += keep(f) ? 1 : 0;
      }
    }
    said.keySet().retainAll(live);
    return started;
  }

  private boolean keep(DeployedFlow f) {
    var k = f.key();
    List<RunRecord> recent =
        store.listRuns(new StateStore.RunQuery(k.namespace(), k.id(), null, RECENT_RUNS));
    Restart r = Restart.decide(recent, f.hash(), f.enabled(), backoff);
    switch (r.action()) {
      case NONE -> {
        return false;
      }
      case CANCEL -> {
        RunRecord run = r.run();
        log.info("stream {}: cancelling run {}: {}", k, run.id(), r.reason());
        try {
          launcher.cancel(run.id(), "stream stopped: " + r.reason());
        } catch (WeirException e) {
          log.debug("stream {}: run {} ended meanwhile: {}", k, run.id(), e.getMessage());
        }
        return false;
      }
      case STOPPED -> {
        sayOnce(
            k.toString(),
            "stream "
                + k
                + " stays stopped: "
                + r.reason()
                + "; deploy a new revision or start a run to resume it");
        return false;
      }
      case START -> {
        Instant now = clock.instant();
        if (now.isBefore(r.at())) {
          sayOnce(k.toString(), "stream " + k + ": " + r.reason() + "; restarting at " + r.at());
          return false;
        }
        return start(f, r.run(), r, now);
      }
    }
    return false;
  }

  private boolean start(DeployedFlow f, RunRecord latest, Restart r, Instant now) {
    var k = f.key();
    // unique per run it follows: a second leader's start for the same gap fails on this key
    String key = latest == null ? "first " + f.hash() : "after " + latest.id();
    var data = new LinkedHashMap<String, Object>();
    data.put("id", TRIGGER);
    data.put("restartOf", latest == null ? null : latest.id());
    data.put("failures", r.failures());
    var request = new RunLauncher.Request(Map.of(), TRIGGER, null, data);
    try {
      String runId;
      if (f.flow().concurrency() == null) {
        var prepared = launcher.prepare(f, request);
        runId = prepared.run().run().id();
        var fire = new ServerStore.Fire(k.namespace(), k.id(), TRIGGER, key, now, runId);
        launcher.launchAll(List.of(prepared), c -> ServerStore.write(c, List.of(fire), List.of()));
      } else {
        if (!fires.markFired(k.namespace(), k.id(), TRIGGER, key, now)) {
          return false;
        }
        var started = java.util.Optional.<RunRecord>empty();
        try {
          started = launcher.start(f, request).run();
        } finally {
          if (started.isEmpty()) {
            // no run made (refused, or the limit skipped it): the next tick must try again
            fires.unmarkFired(k.namespace(), k.id(), TRIGGER, key);
          }
        }
        if (started.isEmpty()) {
          sayOnce(k.toString(), "stream " + k + ": its concurrency limit skipped the run");
          return false;
        }
        runId = started.get().id();
      }
      said.remove(k.toString());
      log.info("stream {}: started run {} ({})", k, runId, r.reason());
      return true;
    } catch (WeirException e) {
      if (fires.hasFired(k.namespace(), k.id(), TRIGGER, key)) {
        return false; // another node started it
      }
      sayOnce(k.toString(), "stream " + k + " could not start a run: " + e.getMessage());
      return false;
    }
  }

  private void sayOnce(String flow, String message) {
    if (!message.equals(said.put(flow, message))) {
      log.info(message);
    }
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      log.warn("keeping streams going failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    ticks.shutdownNow();
  }
}
