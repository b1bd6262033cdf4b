package dev.weir.store;

/**
 * The fencing token of a claimed run: the value of its {@code fence} column the claim set. A {@link
 * StateStore.Batch} carrying it is written only while the run still holds this value; once another
 * claim took the run, the batch changes nothing and fails with {@link FencedOffException}.
 */
public record Fence(String runId, long token) {}
