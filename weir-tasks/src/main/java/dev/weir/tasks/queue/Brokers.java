package dev.weir.tasks.queue;

import dev.weir.WeirException;
import dev.weir.config.ConnectionConfig;
import dev.weir.tasks.queue.kafka.KafkaBroker;
import dev.weir.tasks.queue.mqtt.MqttBroker;
import dev.weir.tasks.queue.nats.NatsBroker;
import dev.weir.tasks.queue.rabbitmq.RabbitBroker;

/** Opens the broker client for a connection by its type. */
public final class Brokers {
  private Brokers() {}

  /**
   * @throws WeirException when the connection is not a broker's, or the broker cannot be reached
   */
  public static Broker open(ConnectionConfig connection) throws Exception {
    return switch (connection.type()) {
      case ConnectionConfig.KAFKA -> new KafkaBroker(connection);
      case ConnectionConfig.RABBITMQ -> new RabbitBroker(connection);
      case ConnectionConfig.NATS -> new NatsBroker(connection);
      case ConnectionConfig.MQTT -> new MqttBroker(connection);
      default ->
          throw new WeirException(
              "connection '"
                  + connection.name()
                  + "' is a "
                  + connection.type()
                  + " connection, not a message broker's (rabbitmq, nats, mqtt or kafka)");
    };
  }
}
