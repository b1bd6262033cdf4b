package dev.weir.engine;

import dev.weir.store.LogLine;
import dev.weir.store.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task log lines, written to the store in batches by one background thread so a chatty task does
 * not pay a transaction per line.
 */
final class LogSink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogSink.class);
  private static final int BATCH = 1000;

  /**
   * Put on the queue by {@link #close} so that the writer stops now, not after its poll times out.
   */
  private static final LogLine STOP = new LogLine("", "", 0, java.time.Instant.EPOCH, "", "");

  private final StateStore store;
  private final BlockingQueue<LogLine> queue = new LinkedBlockingQueue<>();
  private final Object writeLock = new Object();
  private final Thread writer;
  private volatile boolean closed;

  LogSink(StateStore store) {
    this.store = store;
    this.writer = Thread.ofPlatform().daemon().name("weir-log-writer").start(this::loop);
  }

  void add(LogLine line) {
    queue.add(line);
  }

  /** Writes everything added so far before returning. */
  void flush() {
    synchronized (writeLock) {
      drain();
    }
  }

  private void loop() {
    while (!closed) {
      try {
        LogLine first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == STOP) {
          return;
        }
        if (first != null) {
          synchronized (writeLock) {
            // the line taken outside the lock goes first, then the rest in order
            var batch = new ArrayList<LogLine>();
            batch.add(first);
            queue.drainTo(batch, BATCH - 1);
            write(withoutStop(batch));
            drain();
          }
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void drain() {
    var batch = new ArrayList<LogLine>();
    while (queue.drainTo(batch, BATCH) > 0) {
      write(withoutStop(batch));
      batch.clear();
    }
  }

  private static List<LogLine> withoutStop(List<LogLine> batch) {
    batch.removeIf(line -> line == STOP); // identity: a real line may look the same
    return batch;
  }

  private void write(List<LogLine> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      store.appendLogs(batch);
    } catch (Throwable e) {
      // logs must never take the run down with them
      LOG.warn("could not store {} log lines: {}", batch.size(), e.toString());
    }
  }

  /** Stops the writer without interrupting it (an interrupted JDBC write breaks H2). */
  @Override
  public void close() {
    closed = true;
    queue.add(STOP);
    try {
      writer.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
