package dev.weir.server.alerts;

import dev.weir.expr.Masker;
import dev.weir.tasks.notify.Delivery.DeliveryException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts off the run's threads: each try on its own virtual thread, a failed try again
 * after a doubling delay, every outcome logged with secrets masked. Nothing here can fail or hold
 * up a run.
 */
final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** One delivery, tried again as a whole. */
  interface Send {
    void send() throws DeliveryException, InterruptedException;
  }

  private final int attempts;
  private final Duration firstDelay;
  private final Masker masker;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("weir-alert-retries").factory());
  private final AtomicInteger pending = new AtomicInteger();

  Dispatcher(int attempts, Duration firstDelay, Masker masker) {
    this.attempts = attempts;
    this.firstDelay = firstDelay;
    this.masker = masker;
  }

  /**
   * @param what names the alert in logs: {@code failed of shop/orders to slack#0 (run …)}
   */
  void submit(String what, Send send) {
    pending.incrementAndGet();
    Thread.ofVirtual().name("weir-alert").start(() -> attempt(what, send, 1));
  }

  /** True when no delivery is going or waiting for its next try. */
  boolean idle() {
    return pending.get() == 0;
  }

  private void attempt(String what, Send send, int n) {
    boolean again = false;
    try {
      send.send();
      log.info("alert {} delivered{}", what, n == 1 ? "" : " on try " + n);
    } catch (DeliveryException e) {
      again = e.retryable() && n < attempts;
      if (again) {
        Duration wait = firstDelay.multipliedBy(1L << Math.min(n - 1, 10));
        log.warn(
            "alert {} not delivered (try {} of {}): {}; trying again in {}",
            what,
            n,
            attempts,
            masker.mask(e.getMessage()),
            dev.weir.flow.Durations.format(wait));
        try {
          timers.schedule(
              () -> Thread.ofVirtual().name("weir-alert").start(() -> attempt(what, send, n + 1)),
              wait.toMillis(),
              TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
          again = false;
          log.warn("alert {} dropped: the server is stopping", what);
        }
      } else {
        log.error(
            "alert {} not delivered, giving up after {} tr{}: {}",
            what,
            n,
            n == 1 ? "y" : "ies",
            masker.mask(e.getMessage()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("alert {} dropped: interrupted", what);
    } catch (RuntimeException e) {
      // a template that cannot be rendered, a missing secret: another try would not help
      log.error("alert {} not sent: {}", what, masker.mask(e.getMessage()));
    } finally {
      if (!again) {
        pending.decrementAndGet();
      }
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }
}
