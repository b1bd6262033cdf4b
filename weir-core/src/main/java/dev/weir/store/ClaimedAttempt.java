package dev.weir.store;

/**
 * A routed attempt a worker claimed: its row's id and the fencing token of the claim, which the
 * worker's result must carry ({@link AttemptQueue#finish}).
 */
public record ClaimedAttempt(long id, AttemptTicket ticket, long fence) {}
