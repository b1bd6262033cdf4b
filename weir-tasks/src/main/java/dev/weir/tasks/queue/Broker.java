package dev.weir.tasks.queue;

import java.util.List;

/**
 * One message broker's client, opened from a connection of its type ({@code rabbitmq}, {@code
 * nats}, {@code mqtt}, {@code kafka}) by {@link Brokers#open}. Publish tasks and queue triggers
 * both go through it, so that every broker is reached, configured and tested one way.
 */
public interface Broker extends AutoCloseable {
  /**
   * Sends {@code messages} to {@code destination} (an exchange and routing key, a subject, a topic)
   * and returns once the broker has confirmed each of them (publisher confirms, JetStream acks, QoS
   * 1 acks, Kafka acks). Throws when any one is not confirmed: the caller retries the lot, so a
   * consumer may see a message twice, never lose one.
   */
  void publish(Destination destination, List<OutgoingMessage> messages) throws Exception;

  /** Starts consuming {@code source}; messages are held unacknowledged until {@code ack}. */
  Subscription subscribe(Source source) throws Exception;

  @Override
  void close() throws Exception;
}
