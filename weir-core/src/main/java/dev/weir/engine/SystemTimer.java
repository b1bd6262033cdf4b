package dev.weir.engine;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@link EngineTimer} on a single-threaded scheduled executor. */
final class SystemTimer implements EngineTimer {
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("weir-timers").factory());

  @Override
  public Scheduled schedule(Duration delay, Runnable action) {
    // round up to whole milliseconds: a retry must never start before the time it was promised
    long ms = Math.max(0, delay.plusNanos(999_999).toMillis());
    var future = executor.schedule(action, ms, TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
