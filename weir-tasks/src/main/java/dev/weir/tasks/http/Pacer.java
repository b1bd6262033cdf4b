package dev.weir.tasks.http;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Spaces the starts of requests at least {@code 1 / rate} seconds apart, across every request of
 * the attempt (token requests and retries included), so a burst never exceeds the rate.
 */
final class Pacer {
  private final Duration interval;
  private final InstantSource clock;
  private final Waiter waiter;
  private Instant next;

  /**
   * @param perSecond requests per second; null for no limit
   */
  Pacer(Double perSecond, InstantSource clock, Waiter waiter) {
    this.interval =
        perSecond == null
            ? Duration.ZERO
            : Duration.ofNanos(Math.round(1_000_000_000d / perSecond));
    this.clock = clock;
    this.waiter = waiter;
  }

  /** Waits until the next request may start; returns how long it waited. */
  Duration acquire() throws InterruptedException {
    if (interval.isZero()) {
      waiter.checkNotCancelled("waiting for the rate limit");
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    Duration wait =
        next == null || !next.isAfter(now) ? Duration.ZERO : Duration.between(now, next);
    waiter.sleep(wait, "waiting for the rate limit");
    Instant start = now.plus(wait);
    next = start.plus(interval);
    return wait;
  }
}
