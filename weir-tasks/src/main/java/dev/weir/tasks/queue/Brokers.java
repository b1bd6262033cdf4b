package dev.weir.tasks.queue;

import dev.weir.WeirException;
import dev.weir.config.ConnectionConfig;

/** Opens the broker client for a connection by its type. */
public final class Brokers {
  private Brokers() {}

  /**
   * @throws WeirException when the connection is not a broker's
   */
  public static Broker open(ConnectionConfig connection) throws Exception {
    // each broker adds its case here: case ConnectionConfig.RABBITMQ -> new
    // RabbitBroker(connection);
    throw new WeirException(
        "connection '"
            + connection.name()
            + "' is a "
            + connection.type()
            + " connection, not a message broker's (rabbitmq, nats, mqtt or kafka)");
  }
}
