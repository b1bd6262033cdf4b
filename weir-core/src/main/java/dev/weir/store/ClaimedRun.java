package dev.weir.store;

/** A run a node took from its flow's queue ({@link StateStore#claimQueued}), with its fence. */
public record ClaimedRun(RunRecord run, long fence) {}
