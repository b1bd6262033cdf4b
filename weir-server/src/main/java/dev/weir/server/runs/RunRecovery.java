package dev.weir.server.runs;

import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.server.flows.FlowKey;
import dev.weir.store.Claimant;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RunLauncher}'s runs it did not start: those an earlier server process left ({@link
 * #recover}), a gone cluster node's ({@link #adopt}), this node's own that it does not execute
 * ({@link #resumeOwn}), an interrupted one resumed on request ({@link #resume}); and this node's
 * runs given up when it lost its place in the cluster ({@link #giveUpRuns}). It holds the
 * launcher's lock as the launcher's own methods do, so that a run is tracked once.
 */
final class RunRecovery {
  // the launcher's log, as before this class was split from it
  private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);

  private static final String API_ONLY =
      "this node serves the API only (--role api) and executes no run";

  private final RunLauncher launcher;
  private final Engine engine;
  private final JdbcStateStore store;

  RunRecovery(RunLauncher launcher, Engine engine, JdbcStateStore store) {
    this.launcher = launcher;
    this.engine = engine;
    this.store = store;
  }

  RunRecord resume(String runId, boolean force) {
    synchronized (launcher) {
      RunRecord run = store.resolveRun(runId);
      if (launcher.tracks(run.id())) {
        throw new WeirException(
            "run " + run.id() + " is being executed by this server already; nothing to resume");
      }
      if (run.state() == RunState.QUEUED) {
        throw new WeirException(
            "run "
                + run.id()
                + " is QUEUED: it starts when its flow has room (cancel it to drop it);"
                + " only an interrupted RUNNING run can be resumed");
      }
      if (!launcher.accepting()) {
        throw new WeirException("the server is shutting down; no run resumes");
      }
      if (launcher.handsOff()) {
        throw new WeirException(
            API_ONLY
                + ": an interrupted run is adopted by a node that executes runs once its owner is"
                + " gone; to force a resume, ask such a node");
      }
      RunHandle h = engine.resume(run.id(), force);
      launcher.track(new FlowKey(run.namespace(), run.flowId()), h);
      if (force && Claimant.isNodeLabel(run.owner())) {
        launcher.tellTakenOver(run); // its node may still execute it: it stops now
      }
      log.info("resumed run {} of {}.{} on request", run.id(), run.namespace(), run.flowId());
      return store.findRun(run.id()).orElse(run);
    }
  }

  void recover() {
    if (launcher.handsOff()) {
      return; // what earlier processes left is for the nodes that execute runs
    }
    var unfinished = new ArrayList<RunRecord>();
    unfinished.addAll(
        store.listRuns(new StateStore.RunQuery(null, null, RunState.RUNNING, 10_000)));
    unfinished.addAll(store.listRuns(new StateStore.RunQuery(null, null, RunState.QUEUED, 10_000)));
    unfinished.sort(Comparator.comparing(RunRecord::createdAt));
    synchronized (launcher) {
      for (RunRecord run : unfinished) {
        var key = new FlowKey(run.namespace(), run.flowId());
        if (Claimant.isNodeLabel(run.owner())) {
          continue; // a cluster node's: adopted by the cluster once that node is gone
        }
        if (run.state() == RunState.RUNNING || run.owner() != null) {
          try { // a run a `weir run` process left, or one of a server before clusters
            RunHandle h = engine.resume(run.id(), false);
            launcher.track(key, h);
            log.info("resumed run {} of {}", run.id(), key);
          } catch (WeirException e) {
            log.warn("run {} of {} not resumed: {}", run.id(), key, e.getMessage());
          }
        }
      }
    }
    launcher.drainAll();
  }

  boolean adopt(RunRecord run) {
    synchronized (launcher) {
      if (!launcher.accepting() || launcher.tracks(run.id())) {
        return false;
      }
      try {
        RunHandle h = engine.resume(run.id(), false);
        launcher.track(new FlowKey(run.namespace(), run.flowId()), h);
        return true;
      } catch (WeirException e) {
        log.info("run {} not adopted here: {}", run.id(), e.getMessage());
        return false;
      }
    }
  }

  boolean resumeOwn(RunRecord run) {
    synchronized (launcher) {
      if (!launcher.accepting() || launcher.tracks(run.id())) {
        return false;
      }
      try {
        RunHandle h = engine.resume(run.id(), true);
        launcher.track(new FlowKey(run.namespace(), run.flowId()), h);
        return true;
      } catch (WeirException e) {
        log.warn("run {} could not go on here: {}", run.id(), e.getMessage());
        return false;
      }
    }
  }

  void giveUpRuns(String reason) {
    int n = engine.abandonAll(reason);
    if (n > 0) {
      log.warn("{} runs given up: {}", n, reason);
    }
  }
}
