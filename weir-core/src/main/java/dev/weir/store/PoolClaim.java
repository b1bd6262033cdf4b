package dev.weir.store;

/**
 * A task attempt asking for a slot of a named pool shared by the cluster.
 *
 * @param size the pool's size in this node's config: slots {@code 0..size-1}
 * @param holder the node that runs the attempt, in its epoch
 */
public record PoolClaim(
    String pool, int size, Claimant holder, String runId, String taskId, int attempt) {}
