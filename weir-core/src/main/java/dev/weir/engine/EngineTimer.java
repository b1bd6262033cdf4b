package dev.weir.engine;

import java.time.Duration;

/**
 * What the engine waits with: retry delays, task and run timeouts, a sensor's next check. The
 * engine never sleeps; it asks for {@code action} to run after a delay, and the action only posts
 * an event to the run's coordinator. {@link #system()} waits on a real scheduler thread; tests pass
 * one they advance by hand (with the matching clock), so a 5-minute retry costs no time.
 */
public interface EngineTimer extends AutoCloseable {
  /** Runs {@code action} once {@code delay} has passed (at once when it is zero or negative). */
  Scheduled schedule(Duration delay, Runnable action);

  /** A pending action; cancelling one that ran or was cancelled does nothing. */
  interface Scheduled {
    void cancel();
  }

  /** Stops the timer; pending actions never run. */
  @Override
  void close();

  /** A timer on one daemon platform thread ({@code weir-timers}). */
  static EngineTimer system() {
    return new SystemTimer();
  }
}
