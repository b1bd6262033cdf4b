package dev.weir.server.triggers;

import dev.weir.engine.Engine;
import dev.weir.server.api.Routes;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.store.ServerStore;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's event triggers: webhooks ({@link #webhooks()}), flow triggers (on every run end) and
 * file triggers (polled). Start it after the launcher has recovered the previous process's runs.
 */
public final class EventTriggers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventTriggers.class);

  /** How often the file poller wakes up to see which trigger's interval has passed. */
  static final long TICK_MS = 1000;

  private final WebhookRoutes webhooks;
  private final FlowTriggers upstream;
  private final FileTriggers files;
  private final QueueTriggers queues;
  private final ScheduledExecutorService poller;

  private EventTriggers(
      Engine engine,
      FlowRegistry flows,
      RunLauncher launcher,
      StateStore store,
      ServerStore serverStore,
      InstantSource clock,
      java.util.function.BooleanSupplier leads) {
    var firing = new Firing(engine, launcher);
    this.webhooks = new WebhookRoutes(flows, firing);
    this.upstream = new FlowTriggers(flows, store, serverStore, firing, clock);
    this.files = new FileTriggers(flows, store, serverStore, firing, clock);
    this.queues = new QueueTriggers(flows, serverStore, firing, store.deadLetters(), clock, leads);
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("weir-file-triggers").factory());
  }

  /**
   * Starts listening for run ends, fires what was missed while no server ran, starts polling.
   *
   * @param fires false on a node that serves the API only: it answers webhooks (their runs are
   *     stored for the nodes that execute runs), and leaves file, flow and queue triggers to those
   *     nodes
   * @param leads whether this node leads the cluster's flows (always, alone): queue triggers are
   *     consumed there only
   */
  public static EventTriggers start(
      Engine engine,
      FlowRegistry flows,
      RunLauncher launcher,
      StateStore store,
      ServerStore serverStore,
      InstantSource clock,
      boolean fires,
      java.util.function.BooleanSupplier leads) {
    var t = new EventTriggers(engine, flows, launcher, store, serverStore, clock, leads);
    if (!fires) {
      return t; // an API node: its webhooks store runs for others; files and flows are theirs
    }
    // off the run's own thread: starting the next runs and moving files is not its business
    launcher.onRunEnded(
        run -> Thread.ofVirtual().name("weir-run-ended-" + run.id()).start(() -> t.ended(run)));
    t.upstream.listen();
    try {
      t.upstream.catchUp();
    } catch (RuntimeException e) { // a server that cannot catch up still serves
      log.warn("catching up flow triggers failed: {}", e.toString());
    }
    t.poller.scheduleWithFixedDelay(t::tickQuietly, 0, TICK_MS, TimeUnit.MILLISECONDS);
    return t;
  }

  /** The webhook endpoint, for the API server. */
  public Consumer<Routes> webhooks() {
    return webhooks;
  }

  public FileTriggers files() {
    return files;
  }

  public QueueTriggers queues() {
    return queues;
  }

  private void ended(RunRecord run) {
    try {
      upstream.runEnded(run);
    } catch (RuntimeException e) {
      log.warn("flow triggers after run {} failed: {}", run.id(), e.toString());
    }
    try {
      files.runEnded(run);
    } catch (RuntimeException e) {
      log.warn("file handling after run {} failed: {}", run.id(), e.toString());
    }
  }

  private void tickQuietly() {
    try {
      files.tick();
    } catch (RuntimeException e) {
      log.warn("polling file triggers failed: {}", e.toString());
    }
    try {
      queues.sync();
    } catch (RuntimeException e) {
      log.warn("starting or stopping queue consumers failed: {}", e.toString());
    }
  }

  /**
   * Stops polling and consuming; run ends still being handled finish on their own (virtual)
   * threads.
   */
  @Override
  public void close() {
    poller.shutdownNow();
    queues.close();
  }
}
