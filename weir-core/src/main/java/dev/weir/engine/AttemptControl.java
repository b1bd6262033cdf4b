package dev.weir.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Cancellation of one attempt: interrupts its thread and runs the task's hooks. For an attempt that
 * waits at a {@link TaskGate}, also the coordinator's go-ahead once it stored RUNNING.
 */
final class AttemptControl {
  private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile boolean cancelled;
  private volatile Thread thread;

  void bind(Thread t) {
    this.thread = t;
    if (cancelled) {
      t.interrupt();
    }
  }

  void onCancel(Runnable hook) {
    hooks.add(hook);
    if (cancelled) {
      runHook(hook);
    }
  }

  /** Lets the task run: its RUNNING state is stored. */
  void start() {
    started.countDown();
  }

  /** Blocks the attempt's thread until {@link #start}; a cancel interrupts it. */
  void awaitStart() throws InterruptedException {
    started.await();
  }

  boolean isCancelled() {
    return cancelled;
  }

  void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    hooks.forEach(AttemptControl::runHook);
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  private static void runHook(Runnable hook) {
    try {
      hook.run();
    } catch (RuntimeException e) {
      // a failing cancel hook must not stop the others
    }
  }
}
