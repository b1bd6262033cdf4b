package dev.weir.tasks.http;

import dev.weir.task.TaskFailedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Sleeps that end at once when the attempt is cancelled. */
final class Waiter {
  private final CountDownLatch cancelled = new CountDownLatch(1);

  void cancel() {
    cancelled.countDown();
  }

  boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /**
   * @throws TaskFailedException when cancelled before or during the wait
   */
  void sleep(Duration wait, String what) throws InterruptedException {
    if (cancelled.await(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS)) {
      throw cancelledWhile(what);
    }
  }

  void checkNotCancelled(String what) {
    if (isCancelled()) {
      throw cancelledWhile(what);
    }
  }

  static TaskFailedException cancelledWhile(String what) {
    return new TaskFailedException("http.extract was cancelled while " + what);
  }
}
