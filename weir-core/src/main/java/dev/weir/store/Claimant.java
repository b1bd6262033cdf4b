package dev.weir.store;

/**
 * Who takes a run over: how the run's {@code owner} shows it, and the cluster node and epoch that
 * own it when a node does.
 *
 * @param label what {@link RunRecord#owner()} holds while it runs: {@code host:pid} of a {@code
 *     weir run} process, {@code node#epoch} of a cluster node
 * @param node the node's id, or null for a process that is no cluster node
 * @param epoch the node's epoch (see {@link StateStore#registerNode}); 0 without a node
 */
public record Claimant(String label, String node, long epoch) {

  /** A process that is no cluster node: its liveness is its pid's. */
  public static Claimant process(String hostAndPid) {
    return new Claimant(hostAndPid, null, 0);
  }

  /** Whether a run's owner label names a cluster node ({@code node#epoch}), not a process. */
  public static boolean isNodeLabel(String owner) {
    return owner != null && owner.indexOf('#') > 0 && owner.indexOf(':') < 0;
  }

  /**
   * A node in its epoch; the label, {@code node#epoch}, has no ':' so it is never read as a pid.
   */
  public static Claimant node(String nodeId, long epoch) {
    return new Claimant(nodeId + "#" + epoch, nodeId, epoch);
  }
}
