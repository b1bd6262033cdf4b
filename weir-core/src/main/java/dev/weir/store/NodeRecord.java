package dev.weir.store;

import java.time.Instant;

/**
 * A cluster node as {@code weir_nodes} holds it; times are the database's.
 *
 * @param epoch goes up by one at each start of the node
 * @param role what the node does: all, scheduler, api or worker
 * @param alive whether its lease was current on the database's clock when it was read
 */
public record NodeRecord(
    String id,
    long epoch,
    String role,
    String host,
    long pid,
    Instant startedAt,
    Instant renewedAt,
    Instant leaseUntil,
    boolean alive) {}
