package dev.weir.flow;

import java.util.Objects;

/**
 * How many runs of one flow may be active at once, and what happens to a run that would exceed it.
 *
 * @param limit at least 1
 */
public record Concurrency(int limit, OnLimit onLimit) {

  /** What happens to a new run when {@code limit} runs are already active. */
  public enum OnLimit {
    /** It waits (QUEUED) until a run ends. */
    QUEUE,
    /** It is dropped quietly. */
    SKIP,
    /** It is refused as a failure, so the refusal is seen. */
    FAIL
  }

  public Concurrency {
    if (limit < 1) {
      throw new IllegalArgumentException("concurrency limit must be at least 1, got " + limit);
    }
    onLimit = Objects.requireNonNullElse(onLimit, OnLimit.QUEUE);
  }
}
