package dev.weir.server.cluster;

import dev.weir.engine.AttemptRouting;
import dev.weir.flow.TaskDef;
import java.util.Set;

/**
 * Which attempts a node hands to workers: all of them on a scheduler; on a node that executes
 * tasks, those of pools outside its {@code --pools} (when given). A subflow task always runs on the
 * node of its run, which starts the child run.
 */
public record TaskRouting(NodeRole role, Set<String> pools) implements AttemptRouting {
  public TaskRouting {
    pools = Set.copyOf(pools);
  }

  @Override
  public boolean routed(TaskDef task) {
    if (task.type().equals("subflow")) {
      return false;
    }
    if (!role.executesTasks()) {
      return true;
    }
    return !pools.isEmpty() && task.pool() != null && !pools.contains(task.pool());
  }

  /**
   * The routing of a server node with these settings.
   *
   * @param sharedStore whether the node's store is PostgreSQL, where other nodes can take its work
   * @throws dev.weir.WeirException for a worker (it runs as {@code weir worker}), and for a node
   *     that would hand work to others on the embedded H2 store, which no other node can read
   */
  public static TaskRouting of(ClusterSettings c, boolean sharedStore) {
    if (c.role() == NodeRole.WORKER) {
      throw new dev.weir.WeirException("a worker runs as `weir worker`, not as a server");
    }
    var routing = new TaskRouting(c.role(), c.pools());
    if (routing.routesAny() && !sharedStore) {
      throw new dev.weir.WeirException(
          (c.role() == NodeRole.ALL ? "--pools" : "--role " + c.role().label())
              + " hands work to other nodes, which share the server's store: give it a PostgreSQL"
              + " store (--db), not the embedded H2 one");
    }
    return routing;
  }

  /** Whether any attempt may be routed (so the node needs workers). */
  public boolean routesAny() {
    return !role.executesTasks() || !pools.isEmpty();
  }
}
