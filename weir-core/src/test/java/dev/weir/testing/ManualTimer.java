package dev.weir.testing;

import dev.weir.engine.EngineTimer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A clock and an {@link EngineTimer} that move only when a test says so: {@link #advance} moves the
 * time and runs what became due, in due order. Pass it as both the engine's clock and timer.
 */
public final class ManualTimer implements EngineTimer, InstantSource {
  private final List<Pending> pending = new ArrayList<>();
  private Instant now;
  private long sequence;

  private final class Pending implements Scheduled {
    final Instant due;
    final long order;
    final Runnable action;

    Pending(Instant due, long order, Runnable action) {
      this.due = due;
      this.order = order;
      this.action = action;
    }

    @Override
    public void cancel() {
      synchronized (ManualTimer.this) {
        pending.remove(this);
      }
    }
  }

  public ManualTimer(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  @Override
  public Scheduled schedule(Duration delay, Runnable action) {
    Pending p;
    synchronized (this) {
      p = new Pending(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, action);
      pending.add(p);
    }
    return p;
  }

  /** How many actions wait to run. */
  public synchronized int pendingCount() {
    return pending.size();
  }

  /** When the next action is due, or null when none waits. */
  public synchronized Instant nextDue() {
    return pending.stream().map(p -> p.due).min(Comparator.naturalOrder()).orElse(null);
  }

  /** Moves the clock by {@code step}, running each action that became due at its own time. */
  public void advance(Duration step) {
    Instant target;
    synchronized (this) {
      target = now.plus(step);
    }
    while (true) {
      Pending next;
      synchronized (this) {
        next =
            pending.stream()
                .filter(p -> !p.due.isAfter(target))
                .min(Comparator.<Pending, Instant>comparing(p -> p.due).thenComparing(p -> p.order))
                .orElse(null);
        if (next == null) {
          now = target;
          return;
        }
        pending.remove(next);
        if (next.due.isAfter(now)) {
          now = next.due;
        }
      }
      next.action.run();
    }
  }

  @Override
  public synchronized void close() {
    pending.clear();
  }
}
