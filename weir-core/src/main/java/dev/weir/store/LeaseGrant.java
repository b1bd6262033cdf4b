package dev.weir.store;

/**
 * What asking for a named lease ({@link StateStore#holdLease}) gave.
 *
 * @param held whether the asking node holds the lease now
 * @param previousHolder the node that held it before, when the lease was just taken (null when the
 *     asker held it already, or nobody ever did); the holder that keeps it when not {@code held}
 * @param taken whether the asker did not hold it before this call (a restart in a new epoch takes
 *     it too)
 */
public record LeaseGrant(boolean held, String previousHolder, boolean taken) {}
