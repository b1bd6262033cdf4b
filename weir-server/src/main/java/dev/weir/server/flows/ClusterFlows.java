package dev.weir.server.flows;

import dev.weir.server.store.ServerStore;
import dev.weir.store.StateStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's flows at the revisions the store holds, so that a flow deployed on one node of
 * a cluster (or changed in the directory the leader watches) runs on every node a scan later: a
 * newer revision is written to this node's flow file and taken as is, a flow enabled or disabled
 * elsewhere follows, and a flow removed elsewhere goes here too. A single server finds nothing to
 * take.
 */
public final class ClusterFlows {
  private static final Logger log = LoggerFactory.getLogger(ClusterFlows.class);

  private final FlowRegistry registry;
  private final StateStore store;
  private final ServerStore serverStore;
  // revisions this node could not take (a task type it lacks), told once each
  private final Map<FlowKey, Integer> refused = new HashMap<>();

  public ClusterFlows(FlowRegistry registry, StateStore store, ServerStore serverStore) {
    this.registry = registry;
    this.store = store;
    this.serverStore = serverStore;
  }

  /**
   * Takes what changed in the store since the last call.
   *
   * @return how many flows changed here
   */
  public synchronized int sync() {
    int changed = 0;
    for (ServerStore.FlowRow row : serverStore.flows()) {
      var key = new FlowKey(row.namespace(), row.flowId());
      Optional<DeployedFlow> local = registry.get(key);
      if (row.removedAt() != null) {
        if (local.isPresent() && local.get().revision() <= row.revision()) {
          registry.forget(key);
          changed++;
        }
      } else if (local.isEmpty() || local.get().revision() < row.revision()) {
        changed += take(key, row) ? 1 : 0;
      } else if (local.get().revision() == row.revision()
          && local.get().enabled() != row.enabled()) {
        registry.followEnabled(row);
        changed++;
      }
    }
    return changed;
  }

  private boolean take(FlowKey key, ServerStore.FlowRow row) {
    if (Integer.valueOf(row.revision()).equals(refused.get(key))) {
      return false;
    }
    Optional<StateStore.Revision> revision = store.revision(row.hash());
    try {
      if (revision.isEmpty()) {
        throw new IllegalStateException("the store has no text for it");
      }
      if (registry.follow(row, revision.get()) == null) {
        return false;
      }
      log.info("flow {} is now revision {}, stored by another node", key, row.revision());
      refused.remove(key);
      return true;
    } catch (RuntimeException e) {
      refused.put(key, row.revision());
      log.warn(
          "flow {} revision {} from the cluster cannot run on this node: {}",
          key,
          row.revision(),
          e.getMessage());
      return false;
    }
  }
}
