package dev.weir.tasks.queue;

/**
 * What a subscription reads. {@code name} is a RabbitMQ queue, a NATS JetStream subject (with
 * {@code stream}), an MQTT topic filter or a Kafka topic; {@code group} is the durable consumer
 * name (JetStream durable, MQTT client id with a persistent session, Kafka group id), so that a
 * restarted consumer continues where the last one acknowledged.
 */
public record Source(String name, String stream, String group) {
  public Source {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a source needs a name (queue, subject or topic)");
    }
  }
}
