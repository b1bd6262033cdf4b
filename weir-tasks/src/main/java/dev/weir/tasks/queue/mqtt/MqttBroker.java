package dev.weir.tasks.queue.mqtt;

import dev.weir.config.ConnectionConfig;
import dev.weir.tasks.queue.Broker;
import dev.weir.tasks.queue.BrokerException;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.OutgoingMessage;
import dev.weir.tasks.queue.Source;
import dev.weir.tasks.queue.Subscription;
import java.util.List;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * MQTT 3.1.1 through Eclipse Paho. Publishes wait for the broker's PUBACK (QoS 1) or PUBCOMP (QoS
 * 2). MQTT 3 has no headers and no message id that survives a redelivery: headers are refused, and
 * an incoming message's id is null, so a queue trigger on MQTT needs a {@code key:}.
 */
public final class MqttBroker implements Broker {
  static final long TIMEOUT_MS = 30_000;

  private final ConnectionConfig config;

  public MqttBroker(ConnectionConfig config) {
    this.config = config;
  }

  ConnectionConfig config() {
    return config;
  }

  /**
   * Connects a client. {@code clientId} with {@code cleanSession} false keeps the subscription and
   * its unacknowledged messages on the broker while this client is away.
   */
  MqttClient connect(
      String clientId,
      boolean cleanSession,
      boolean manualAcks,
      org.eclipse.paho.client.mqttv3.MqttCallback callback) {
    try {
      var client = new MqttClient(config.url(), clientId, new MemoryPersistence());
      client.setManualAcks(manualAcks);
      if (callback != null) {
        // before connecting: a persistent session's messages arrive as soon as it is resumed
        client.setCallback(callback);
      }
      var options = new MqttConnectOptions();
      options.setCleanSession(cleanSession);
      // Weir reconnects itself (a trigger with backoff, a task by its retries)
      options.setAutomaticReconnect(false);
      options.setConnectionTimeout(10);
      options.setKeepAliveInterval(15);
      // a PUBACK frees its slot a moment after publish returns: room for a batch's worth
      options.setMaxInflight(1000);
      if (config.user() != null) {
        options.setUserName(config.user());
      }
      if (config.password() != null) {
        options.setPassword(config.password().toCharArray());
      }
      client.connect(options);
      return client;
    } catch (Exception e) {
      throw failure("cannot connect", e);
    }
  }

  BrokerException failure(String what, Exception e) {
    return new BrokerException(
        "mqtt connection '"
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
    String id = config.setting("clientId", "weir") + "-pub-" + UUID.randomUUID();
    MqttClient client = connect(id, true, false, null);
    try {
      for (OutgoingMessage m : messages) {
        var message = new MqttMessage(m.body());
        message.setQos(to.qos());
        client.publish(to.name(), message); // returns once the broker acknowledged it
      }
    } catch (Exception e) {
      throw failure("publishing to topic '" + to.name() + "'", e);
    } finally {
      close(client);
    }
  }

  static void close(MqttClient client) {
    try {
      if (client.isConnected()) {
        client.disconnect(2_000);
      }
    } catch (Exception ignored) {
      // gone already
    }
    try {
      client.close(true);
    } catch (Exception ignored) {
      // nothing left to release
    }
  }

  @Override
  public Subscription subscribe(Source source) throws Exception {
    return new MqttSubscription(this, source);
  }

  @Override
  public void close() {}
}
