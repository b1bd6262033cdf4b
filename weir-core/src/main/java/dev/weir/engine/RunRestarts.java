package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.flow.Flow;
import dev.weir.store.Claimant;
import dev.weir.store.ClaimedRun;
import dev.weir.store.Fence;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Takes stored runs over for an {@link Engine} and launches them again: a run a dead process left
 * ({@link Engine#resume}), a failed one run again ({@link Engine#retry}), one taken from its flow's
 * queue ({@link Engine#launchClaimed}), and one ended for another owner ({@link
 * Engine#endElsewhere}). Every takeover goes through {@link #claim}, whose fence goes with the
 * run's writes from then on.
 */
final class RunRestarts {
  private final StateStore store;
  private final EngineServices services;
  private final InstantSource clock;
  private final LogSink logs;
  private final DatasetStaging staging;
  private final StoredFlows flows;
  private final RunInputs inputs;
  private final RunLaunches launches;

  RunRestarts(
      EngineServices services,
      DatasetStaging staging,
      StoredFlows flows,
      RunInputs inputs,
      RunLaunches launches) {
    this.services = services;
    this.store = services.store();
    this.clock = services.clock();
    this.logs = services.logs();
    this.staging = staging;
    this.flows = flows;
    this.inputs = inputs;
    this.launches = launches;
  }

  RunHandle launchClaimed(ClaimedRun claimed, Claimant who) {
    RunRecord run = claimed.run();
    Flow flow = flows.of(run);
    var owner = new Ownership(who, new Fence(run.id(), claimed.fence()));
    return launches.launch(
        new Engine.Prepared(run, flow, inputs.stored(flow, run)), store.taskRuns(run.id()), owner);
  }

  RunHandle resume(String runId, boolean force) {
    RunRecord run = store.resolveRun(runId);
    if (run.state().isTerminal()) {
      throw new WeirException(
          "run "
              + run.id()
              + " already ended "
              + run.state()
              + "; only a run that was interrupted can be resumed"
              + (run.state() == RunState.FAILED
                  ? " (to run its failed tasks again use `weir retry " + run.id() + "`)"
                  : ""));
    }
    if (launches.executes(run.id())) {
      throw new WeirException("run " + run.id() + " is running in this process already");
    }
    if (!force && run.owner() != null && RunOwner.alive(run.owner())) {
      throw new WeirException(
          "run "
              + run.id()
              + " is still being executed by "
              + run.owner()
              + "; stop that process first, or pass --force if it is gone");
    }
    return relaunch(run, store.taskRuns(run.id()), force);
  }

  RunHandle retry(String runId) {
    Retry r = storeRetry(runId, true);
    return launches.launch(
        new Engine.Prepared(r.run(), r.flow(), inputs.stored(r.flow(), r.run())),
        r.rows(),
        r.owner());
  }

  RunRecord retryQueued(String runId) {
    return storeRetry(runId, false).run();
  }

  private record Retry(RunRecord run, Flow flow, List<TaskRunRecord> rows, Ownership owner) {}

  private Retry storeRetry(String runId, boolean here) {
    RunRecord old = store.resolveRun(runId);
    if (old.state() != RunState.FAILED && old.state() != RunState.CANCELLED) {
      throw new WeirException(
          "run "
              + old.id()
              + " is "
              + old.state()
              + "; only a FAILED or CANCELLED run can be retried"
              + (old.state().isTerminal()
                  ? ""
                  : " (an interrupted run is resumed: `weir resume " + old.id() + "`)"));
    }
    Flow flow = flows.of(old);
    Ownership owner = claim(old, false);
    int attempt = old.attempt() + 1;
    RunRecord run =
        old.restarted(
            RunState.QUEUED, old.startedAt(), attempt, here ? owner.claimant().label() : null);
    List<TaskRunRecord> rows = new ArrayList<>(store.taskRuns(old.id()));
    RetryPlan plan = RetryPlan.of(flow, old.id(), rows, attempt, clock.instant(), staging::present);
    store.write(
        new StateStore.Batch(List.of(), List.of(run), plan.fresh(), List.of())
            .fenced(owner.fence()));
    plan.notes().forEach(logs::add);
    rows.addAll(plan.fresh());
    return new Retry(run, flow, rows, owner);
  }

  private RunHandle relaunch(RunRecord run, List<TaskRunRecord> rows, boolean force) {
    Flow flow = flows.of(run);
    Ownership owner = claim(run, force);
    return launches.launch(new Engine.Prepared(run, flow, inputs.stored(flow, run)), rows, owner);
  }

  /**
   * Takes the run over for this engine; the fence it gets goes with every write of the run from now
   * on.
   *
   * @param force also when a live cluster node owns it
   */
  Ownership claim(RunRecord run, boolean force) {
    Claimant who = services.claimant().get();
    OptionalLong token = store.claimRun(run, who, force);
    if (token.isEmpty()) {
      throw new WeirException(
          "run "
              + run.id()
              + " was not taken over: another process took it just now, or the cluster node that"
              + " executes it is alive (its lease is current); see `weir runs show "
              + run.id()
              + "`");
    }
    return new Ownership(who, new Fence(run.id(), token.getAsLong()));
  }

  RunRecord endElsewhere(RunRecord run, RunState state, String reason) {
    Ownership owner = claim(run, true);
    Instant now = clock.instant();
    var unfinished = new ArrayList<TaskRunRecord>();
    for (TaskRunRecord t : store.taskRuns(run.id())) {
      if (!t.state().isTerminal()) {
        TaskState ts = state == RunState.CANCELLED ? TaskState.CANCELLED : TaskState.FAILED;
        unfinished.add(t.ended(ts, now, reason, t.outputs(), t.dataset(), t.rows()));
      }
    }
    RunRecord ended = run.ended(state, now, reason);
    store.write(
        new StateStore.Batch(List.of(), List.of(ended), List.of(), unfinished)
            .fenced(owner.fence()));
    return ended;
  }
}
