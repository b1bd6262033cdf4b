package dev.weir.tasks.queue;

/**
 * Where a publish goes. {@code name} is a RabbitMQ exchange (empty for the default exchange), a
 * NATS subject, an MQTT topic or a Kafka topic; {@code routingKey} is RabbitMQ's routing key (the
 * queue's name for the default exchange) and unused elsewhere; {@code qos} is MQTT's.
 */
public record Destination(String name, String routingKey, int qos) {
  public Destination {
    if (name == null) {
      throw new IllegalArgumentException("a destination needs a name");
    }
  }

  public static Destination of(String name) {
    return new Destination(name, null, 1);
  }
}
