package dev.weir.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Cancellation of one running attempt: interrupts its thread and runs the task's hooks. */
final class AttemptControl {
  private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
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
