package dev.weir.server.runs;

import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.engine.RunListener;
import dev.weir.flow.Concurrency;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher.Outcome;
import dev.weir.server.runs.RunLauncher.Started;
import dev.weir.store.Claimant;
import dev.weir.store.ClaimedRun;
import dev.weir.store.Fence;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs of flows with a concurrency limit, kept within it on every node of a cluster: each is
 * stored QUEUED and taken from the flow's queue in the store ({@link StateStore#claimQueued}) by
 * the node that finds room for it.
 */
final class FlowQueue {
  private static final Logger log = LoggerFactory.getLogger(FlowQueue.class);

  /** Where a started run is counted in (the launcher's handles). */
  interface Tracker {
    void track(FlowKey key, RunHandle h);
  }

  private final Engine engine;
  private final StateStore store;
  private final FlowRegistry flows;
  private final InstantSource clock;
  private final RunListener listener;
  private final Tracker tracker;

  FlowQueue(
      Engine engine,
      StateStore store,
      FlowRegistry flows,
      InstantSource clock,
      RunListener listener,
      Tracker tracker) {
    this.engine = engine;
    this.store = store;
    this.flows = flows;
    this.clock = clock;
    this.listener = listener;
    this.tracker = tracker;
  }

  /**
   * A run of a flow with a concurrency limit, counted on every node of the cluster: stored QUEUED,
   * then taken from the flow's queue with the others waiting, oldest first, as far as the flow has
   * room ({@link StateStore#claimQueued}). Not taken, it waits (queue), goes (skip) or ends FAILED
   * (fail) — unless a node took it meanwhile.
   */
  Started start(DeployedFlow flow, Engine.StartRequest start, Concurrency limit) {
    if (limit.onLimit() == Concurrency.OnLimit.SKIP) {
      int busy = store.activeRuns(flow.key().namespace(), flow.key().id());
      if (busy >= limit.limit()) {
        return skipped(flow, busy, limit);
      }
    }
    RunRecord run = engine.enqueue(start);
    if (drain(flow.key(), limit.limit()).contains(run.id())) {
      return new Started(Outcome.STARTED, store.findRun(run.id()), "started");
    }
    int busy = store.activeRuns(flow.key().namespace(), flow.key().id());
    switch (limit.onLimit()) {
      case SKIP -> {
        if (store.dropQueued(run.id())) {
          return skipped(flow, busy, limit);
        }
      }
      case FAIL -> {
        String why =
            "flow "
                + flow.key()
                + " has "
                + busy
                + " run(s) going (limit "
                + limit.limit()
                + ", onLimit: fail)";
        RunRecord failed = run.ended(RunState.FAILED, clock.instant(), why);
        if (store.endQueued(failed)) {
          listener.runChanged(failed);
          return new Started(Outcome.REFUSED, Optional.of(failed), why);
        }
      }
      case QUEUE -> {
        return new Started(
            Outcome.QUEUED,
            Optional.of(run),
            "queued behind " + busy + " run(s) (limit " + limit.limit() + ")");
      }
    }
    // a node took it from the queue between the two steps: it runs there
    return new Started(Outcome.STARTED, store.findRun(run.id()), "started");
  }

  /**
   * A run stored for another node to execute (this one, serving the API only, executes none):
   * QUEUED and owned by nobody, taken by the first node that drains the flow's queue and has room.
   * A limit's {@code skip} and {@code fail} are decided here, on the count of the whole cluster.
   */
  Started handOff(DeployedFlow flow, Engine.StartRequest start, Concurrency limit) {
    if (limit != null && limit.onLimit() != Concurrency.OnLimit.QUEUE) {
      int busy = store.activeRuns(flow.key().namespace(), flow.key().id());
      if (busy >= limit.limit()) {
        if (limit.onLimit() == Concurrency.OnLimit.SKIP) {
          return skipped(flow, busy, limit);
        }
        String why =
            "flow "
                + flow.key()
                + " has "
                + busy
                + " run(s) going (limit "
                + limit.limit()
                + ", onLimit: fail)";
        RunRecord queued = engine.enqueue(start);
        RunRecord failed = queued.ended(RunState.FAILED, clock.instant(), why);
        if (store.endQueued(failed)) {
          listener.runChanged(failed);
          return new Started(Outcome.REFUSED, Optional.of(failed), why);
        }
        // a node took it from the queue between the two steps (room freed): it runs there
        return new Started(Outcome.STARTED, store.findRun(queued.id()), "started");
      }
    }
    RunRecord run = engine.enqueue(start);
    return new Started(
        Outcome.QUEUED, Optional.of(run), "queued for a node that executes runs to take");
  }

  private static Started skipped(DeployedFlow flow, int busy, Concurrency limit) {
    String why =
        "skipped: flow "
            + flow.key()
            + " has "
            + busy
            + " run(s) going (limit "
            + limit.limit()
            + ", onLimit: skip)";
    log.info(why);
    return new Started(Outcome.SKIPPED, Optional.empty(), why);
  }

  /**
   * Starts the runs of the flow's queue it has room for on the whole cluster, here.
   *
   * @return the ids of the runs started
   */
  Set<String> drain(FlowKey key, int limit) {
    Claimant who = engine.claimant();
    var started = new LinkedHashSet<String>();
    for (ClaimedRun c : store.claimQueued(key.namespace(), key.id(), limit, who)) {
      try {
        RunHandle h = engine.launchClaimed(c, who);
        tracker.track(key, h);
        started.add(c.run().id());
      } catch (RuntimeException e) {
        fail(key, c, e);
      }
    }
    return started;
  }

  // taken, so nobody else would start it: it ends here, saying why (or, if even that fails, it
  // stays this node's, and is adopted once this node is gone)
  private void fail(FlowKey key, ClaimedRun c, RuntimeException e) {
    log.warn("queued run {} of {} could not start: {}", c.run().id(), key, e.getMessage());
    try {
      RunRecord failed =
          c.run().ended(RunState.FAILED, clock.instant(), "could not start: " + e.getMessage());
      store.write(
          new StateStore.Batch(List.of(), List.of(failed), List.of(), List.of())
              .fenced(new Fence(c.run().id(), c.fence())));
      listener.runChanged(failed);
    } catch (RuntimeException again) {
      log.warn("queued run {} of {} stays queued: {}", c.run().id(), key, again.getMessage());
    }
  }

  /**
   * Starts what the queues of every flow have room for: at start, at every heartbeat of the node
   * (runs that ended on other nodes, queues a dead node left) and when a run here ends.
   */
  void drainAll() {
    for (StateStore.QueuedFlow q : store.queuedFlows()) {
      var key = new FlowKey(q.namespace(), q.flowId());
      var flow = flows.get(key);
      if (flow.isEmpty()) {
        continue; // unknown here (not synced yet, or a task type this node lacks): not ours
      }
      Concurrency limit = flow.get().flow().concurrency();
      try {
        // a flow whose limit went away in a new revision starts what waits
        drain(key, limit == null ? Integer.MAX_VALUE : limit.limit());
      } catch (WeirException e) {
        log.warn("the queue of {} could not be read: {}", key, e.getMessage());
      }
    }
  }
}
