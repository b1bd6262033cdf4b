package dev.weir.tasks.queue;

import java.time.Duration;
import java.util.List;

/**
 * Messages from one source, delivered at least once: a message not acknowledged before the
 * subscription closes (or its process dies) comes back to this or another consumer.
 */
public interface Subscription extends AutoCloseable {
  /**
   * Up to {@code max} messages, waiting at most {@code wait} for the first; empty when none came.
   * Throws when the broker is unreachable; the caller closes and subscribes again with backoff.
   */
  List<IncomingMessage> poll(int max, Duration wait) throws Exception;

  /** Acknowledges {@code messages}, which this subscription delivered: they are not sent again. */
  void ack(List<IncomingMessage> messages) throws Exception;

  @Override
  void close() throws Exception;
}
