package dev.weir.flow;

import java.time.Duration;

/** The YAML shape of {@code retry:}; becomes a {@link RetryPolicy}. */
record RetrySpec(
    Integer attempts, Backoff backoff, Duration delay, Duration maxDelay, Boolean jitter) {
  RetryPolicy toPolicy() {
    return new RetryPolicy(
        attempts == null ? 1 : attempts, backoff, delay, maxDelay, jitter != null && jitter);
  }
}
