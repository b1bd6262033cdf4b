package dev.weir.server.runs;

import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.flow.Concurrency;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.runs.RunLauncher.FlowDisabledException;
import dev.weir.server.runs.RunLauncher.Outcome;
import dev.weir.server.runs.RunLauncher.Prepared;
import dev.weir.server.runs.RunLauncher.Request;
import dev.weir.server.runs.RunLauncher.Started;
import dev.weir.store.Claimant;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.StateStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates and starts the runs {@link RunLauncher} is asked for: refuses them while the server stops
 * or the flow is disabled, hands them off on a node that executes none, sends a flow with a
 * concurrency limit through its {@link FlowQueue}, and stores prepared runs with their caller's
 * rows in one transaction before they start. Each run started here is tracked by the launcher.
 */
final class RunStarter {
  private final RunLauncher launcher;
  private final Engine engine;
  // the JDBC store: launchAll writes the runs and its caller's rows in one transaction
  private final JdbcStateStore store;
  private final FlowQueue queue;

  RunStarter(RunLauncher launcher, Engine engine, JdbcStateStore store, FlowQueue queue) {
    this.launcher = launcher;
    this.engine = engine;
    this.store = store;
    this.queue = queue;
  }

  static Engine.StartRequest startRequest(DeployedFlow flow, Request request) {
    return new Engine.StartRequest(
        flow.flow(),
        flow.file(),
        request.inputs(),
        request.trigger(),
        request.logicalDate(),
        request.triggerData());
  }

  /** See {@link RunLauncher#start(DeployedFlow, Engine.StartRequest)}. */
  Started start(DeployedFlow flow, Engine.StartRequest start) {
    checkStartable(flow);
    Concurrency limit = flow.flow().concurrency();
    Consumer<FlowKey> tell = launcher.handOffTarget();
    if (tell != null) {
      Started s = queue.handOff(flow, start, limit);
      tell.accept(flow.key());
      return s;
    }
    if (limit == null) {
      // nothing to count: create and start it without holding up other starts
      Engine.Started s = engine.startRun(start);
      synchronized (launcher) {
        launcher.track(flow.key(), s.handle());
      }
      return new Started(Outcome.STARTED, Optional.of(s.run()), "started");
    }
    return queue.start(flow, start, limit);
  }

  /** See {@link RunLauncher#prepare}. */
  Prepared prepare(DeployedFlow flow, Request request) {
    checkStartable(flow);
    if (flow.flow().concurrency() != null) {
      throw new IllegalArgumentException("flow " + flow.key() + " has a concurrency limit");
    }
    return new Prepared(flow, engine.prepare(startRequest(flow, request)));
  }

  private void checkStartable(DeployedFlow flow) {
    if (!launcher.accepting()) {
      throw new WeirException("the server is shutting down; no new runs start");
    }
    if (!flow.enabled()) {
      throw new FlowDisabledException(
          "flow " + flow.key() + " is disabled; enable it first (POST …/enable)");
    }
  }

  /** See {@link RunLauncher#launchAll}. */
  void launchAll(List<Prepared> runs, JdbcStateStore.AlsoWrite also) {
    // stored owned by this engine, as a single start is: no claim per run afterwards, and a queue
    // drain cannot take a run between its insert and its launch (it takes only unowned runs)
    Claimant who = engine.claimant();
    List<Engine.Prepared> owned = runs.stream().map(p -> engine.ownedBy(p.run(), who)).toList();
    store.write(
        new StateStore.Batch(
                owned.stream().map(Engine.Prepared::run).toList(), List.of(), List.of(), List.of())
            .ownedBy(who),
        also);
    for (int i = 0; i < runs.size(); i++) {
      RunHandle h = engine.launchOwned(owned.get(i), who);
      synchronized (launcher) {
        launcher.track(runs.get(i).flow().key(), h);
      }
    }
  }
}
