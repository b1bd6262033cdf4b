package dev.weir.tasks.queue;

/**
 * What a subscription reads. {@code name} is a RabbitMQ queue, a NATS JetStream subject (with
 * {@code stream}), an MQTT topic filter or a Kafka topic; {@code group} is the durable consumer
 * name (JetStream durable, MQTT client id with a persistent session, Kafka group id), so that a
 * restarted consumer continues where the last one acknowledged.
 *
 * @param prefetch how many unacknowledged messages the broker may hand this consumer at once
 *     (RabbitMQ's basicQos, JetStream's max ack pending); at least the largest batch polled
 */
public record Source(String name, String stream, String group, int prefetch) {
  public static final int DEFAULT_PREFETCH = 256;

  public Source {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a source needs a name (queue, subject or topic)");
    }
    if (prefetch < 1) {
      prefetch = DEFAULT_PREFETCH;
    }
  }

  public Source(String name, String stream, String group) {
    this(name, stream, group, DEFAULT_PREFETCH);
  }
}
