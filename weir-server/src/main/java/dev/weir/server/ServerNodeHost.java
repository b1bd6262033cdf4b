package dev.weir.server;

import dev.weir.engine.Engine;
import dev.weir.engine.gate.ClusterPools;
import dev.weir.server.cluster.AttemptWorker;
import dev.weir.server.cluster.ClusterNode;
import dev.weir.server.runs.RunLauncher;
import dev.weir.store.RunRecord;

/** What a server's cluster node asks of it: its runs, its queues, its pool slots, its workers. */
final class ServerNodeHost implements ClusterNode.Host {
  private final RunLauncher launcher;
  private final Engine engine;
  private final ClusterPools sharedPools; // null on H2
  private final AttemptWorker attemptWorker; // null when the node executes no routed attempt

  ServerNodeHost(
      RunLauncher launcher, Engine engine, ClusterPools sharedPools, AttemptWorker attemptWorker) {
    this.launcher = launcher;
    this.engine = engine;
    this.sharedPools = sharedPools;
    this.attemptWorker = attemptWorker;
  }

  @Override
  public void giveUpRuns(String reason) {
    launcher.giveUpRuns(reason);
    if (attemptWorker != null) {
      attemptWorker.giveUp(reason);
    }
  }

  @Override
  public boolean adopt(RunRecord run) {
    return launcher.adopt(run);
  }

  @Override
  public void drainQueues() {
    launcher.drainAll();
  }

  @Override
  public void releaseStraySlots() {
    if (sharedPools != null) {
      sharedPools.releaseStray();
    }
  }

  @Override
  public void retire(String reason) {
    launcher.stopAccepting(); // serves what it has; starts and executes nothing more
  }

  @Override
  public boolean executes(String runId) {
    return engine.executes(runId);
  }

  @Override
  public boolean resumeOwn(RunRecord run) {
    return launcher.resumeOwn(run);
  }
}
