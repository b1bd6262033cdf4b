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

  /** Whether any attempt may be routed (so the node needs workers). */
  public boolean routesAny() {
    return !role.executesTasks() || !pools.isEmpty();
  }
}
