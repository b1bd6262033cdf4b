package dev.weir.store;

import dev.weir.flow.Backoff;
import dev.weir.flow.Durations;
import dev.weir.flow.RetryPolicy;
import dev.weir.util.SqlFailures;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries a state store's unit of work again when the database went away (a restart, a lost
 * connection) or a transaction lost a race (a deadlock, a serialization failure), with exponential
 * backoff for at most {@link Settings#giveUpAfter} after the first failure. A run or a server whose
 * store restarts then waits for it instead of failing. Anything else (a bad statement, a duplicate
 * key) fails at once, as before.
 *
 * <p>Each unit is one transaction that rolled back when it failed, so running it again is safe. The
 * one case it cannot tell is a connection lost while the database was committing: the retry then
 * meets its own first write (a duplicate key) and fails, as it would have without retrying.
 */
public final class StoreRetry {
  private static final Logger LOG = LoggerFactory.getLogger(StoreRetry.class);

  /**
   * @param giveUpAfter how long after the first failure the last try may start
   * @param firstDelay the wait after the first failure; doubles per try, with jitter
   * @param maxDelay the longest wait between two tries
   */
  public record Settings(Duration giveUpAfter, Duration firstDelay, Duration maxDelay) {
    /** A PostgreSQL restart takes seconds; a failover a minute at most. */
    public static final Settings DEFAULTS =
        new Settings(Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofSeconds(5));

    /** No retry at all. */
    public static final Settings NONE = new Settings(Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  /** One unit of work against the store. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws SQLException;
  }

  /** Waits; a test's sleeper advances a clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final String store;
  private final Settings settings;
  private final RetryPolicy backoff;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;

  public StoreRetry(String store, Settings settings) {
    this(store, settings, System::nanoTime, d -> Thread.sleep(d));
  }

  public StoreRetry(String store, Settings settings, LongSupplier nanoTime, Sleeper sleeper) {
    this.store = store;
    this.settings = settings;
    this.backoff =
        new RetryPolicy(
            Integer.MAX_VALUE,
            Backoff.EXPONENTIAL,
            settings.firstDelay(),
            settings.maxDelay(),
            true);
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** Runs {@code work}, trying again while its failures can heal and time is left. */
  public <T> T call(Work<T> work) throws SQLException {
    long firstFailure = 0;
    for (int failures = 0; ; ) {
      try {
        T result = work.run();
        if (failures > 0) {
          LOG.warn(
              "state store ({}) is back after {} failed {}",
              store,
              failures,
              failures == 1 ? "try" : "tries");
        }
        return result;
      } catch (SQLException e) {
        if (!SqlFailures.retryable(e)) {
          throw e;
        }
        long now = nanoTime.getAsLong();
        if (failures++ == 0) {
          firstFailure = now;
        }
        Duration left = settings.giveUpAfter().minusNanos(now - firstFailure);
        Duration delay = backoff.delayAfter(failures, ThreadLocalRandom.current());
        if (!left.isPositive() || left.compareTo(delay) < 0) {
          e.addSuppressed(
              new SQLException(
                  "gave up after "
                      + failures
                      + " tries in "
                      + Durations.format(Duration.ofNanos(now - firstFailure))));
          throw e;
        }
        LOG.warn(
            "state store ({}): {}{}; trying again in {} (try {}, for up to {})",
            store,
            SqlFailures.reason(e),
            SqlFailures.stateSuffix(e),
            Durations.format(delay),
            failures + 1,
            Durations.format(settings.giveUpAfter()));
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException i) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
