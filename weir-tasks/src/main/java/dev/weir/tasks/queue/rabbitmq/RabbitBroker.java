package dev.weir.tasks.queue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.weir.config.ConnectionConfig;
import dev.weir.tasks.queue.Broker;
import dev.weir.tasks.queue.BrokerException;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.OutgoingMessage;
import dev.weir.tasks.queue.Source;
import dev.weir.tasks.queue.Subscription;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * RabbitMQ (AMQP 0-9-1) through its official client. Publishes are mandatory and confirmed: a
 * message no queue takes fails the publish instead of vanishing. The message id is the AMQP {@code
 * message-id} property (the publisher's key, else a fresh UUID).
 */
public final class RabbitBroker implements Broker {
  static final int CONFIRM_TIMEOUT_MS = 30_000;

  private final ConnectionConfig config;
  private final Connection connection;

  public RabbitBroker(ConnectionConfig config) {
    this.config = config;
    var factory = new ConnectionFactory();
    try {
      factory.setUri(config.url());
    } catch (Exception e) {
      throw new BrokerException(
          "rabbitmq connection '"
              + config.name()
              + "': url '"
              + BrokerException.safeUrl(config.url())
              + "' is not an AMQP URI ("
              + BrokerException.reason(e, config.password())
              + "); e.g. amqp://127.0.0.1:5672/%2f");
    }
    if (config.user() != null) {
      factory.setUsername(config.user());
    }
    if (config.password() != null) {
      factory.setPassword(config.password());
    }
    // Weir reconnects itself (a trigger with backoff, a task by its retries): the client's own
    // recovery would hide an outage behind hanging calls
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    factory.setConnectionTimeout(10_000);
    factory.setRequestedHeartbeat(15);
    try {
      this.connection = factory.newConnection("weir");
    } catch (Exception e) {
      throw failure("cannot connect", e);
    }
  }

  BrokerException failure(String what, Exception e) {
    return new BrokerException(
        "rabbitmq connection '"
            + config.name()
            + "' ("
            + BrokerException.safeUrl(config.url())
            + "): "
            + what
            + ": "
            + BrokerException.reason(e, config.password()),
        e);
  }

  @Override
  public void publish(Destination to, List<OutgoingMessage> messages) throws Exception {
    String routingKey = to.routingKey() == null ? "" : to.routingKey();
    var returned = new CopyOnWriteArrayList<String>();
    try (Channel ch = connection.createChannel()) {
      ch.confirmSelect();
      ch.addReturnListener(r -> returned.add(r.getReplyText() + " (" + r.getRoutingKey() + ")"));
      for (OutgoingMessage m : messages) {
        ch.basicPublish(to.name(), routingKey, true, properties(m), m.body());
      }
      ch.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
    } catch (BrokerException e) {
      throw e;
    } catch (Exception e) {
      throw failure(
          "publishing to exchange '" + to.name() + "' with routing key '" + routingKey + "'", e);
    }
    if (!returned.isEmpty()) {
      throw new BrokerException(
          "rabbitmq connection '"
              + config.name()
              + "': "
              + returned.size()
              + " message(s) to exchange '"
              + (to.name().isEmpty() ? "(default)" : to.name())
              + "' were routed to no queue: "
              + returned.get(0)
              + "; bind a queue to the exchange for routing key '"
              + routingKey
              + "', or (default exchange) name an existing queue as routingKey");
    }
  }

  private static AMQP.BasicProperties properties(OutgoingMessage m) {
    Map<String, Object> headers = new LinkedHashMap<>(m.headers());
    return new AMQP.BasicProperties.Builder()
        .messageId(m.key() != null ? m.key() : UUID.randomUUID().toString())
        .headers(headers)
        .deliveryMode(2) // persistent: survives a broker restart in a durable queue
        .timestamp(new Date())
        .build();
  }

  @Override
  public Subscription subscribe(Source source) throws Exception {
    try {
      return new RabbitSubscription(this, connection.createChannel(), source);
    } catch (BrokerException e) {
      throw e;
    } catch (Exception e) {
      throw failure("cannot consume queue '" + source.name() + "'", e);
    }
  }

  @Override
  public void close() {
    try {
      if (connection.isOpen()) {
        connection.close(5_000);
      }
    } catch (Exception ignored) {
      // the broker is gone; nothing to release on this side
    }
  }
}
