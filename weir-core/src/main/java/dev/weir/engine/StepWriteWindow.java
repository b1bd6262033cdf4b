package dev.weir.engine;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Lets rows of steps wait a little for their write, so that the many steps of one attempt share a
 * few writes (docs/decisions.md): a round whose changes are only rows of steps is held until {@link
 * #DELAY} after the first held row; any other change writes them at once with it, so a step is
 * always stored by the time its parent attempt's end is. Wall time ({@code System.nanoTime}), not
 * the engine's clock: it bounds a write's latency and decides nothing about the run.
 */
final class StepWriteWindow {
  /** How long rows of steps alone may wait for a write. */
  static final Duration DELAY = Duration.ofMillis(100);

  private long due; // System.nanoTime() by which step rows held back are written; 0: none

  /** The next event: waits for one, or while rows are held, until they are due (then null). */
  EngineEvent next(BlockingQueue<EngineEvent> events) throws InterruptedException {
    return due == 0 ? events.take() : events.poll(due - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  /**
   * Whether this round's write may wait: it holds only rows of steps ({@link Round#onlyStepRows})
   * and they are not due yet. When it may not, the window closes: the write takes them all.
   */
  boolean holds(boolean onlyStepRows) {
    if (onlyStepRows) {
      if (due == 0) {
        due = System.nanoTime() + DELAY.toNanos();
      }
      if (due - System.nanoTime() > 0) {
        return true;
      }
    }
    due = 0;
    return false;
  }
}
