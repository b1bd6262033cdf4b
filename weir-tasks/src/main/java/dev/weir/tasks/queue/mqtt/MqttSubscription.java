package dev.weir.tasks.queue.mqtt;

import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.tasks.queue.Source;
import dev.weir.tasks.queue.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * A topic filter subscribed at QoS 1 in a persistent session ({@code cleanSession} false, the group
 * as client id) with manual acks: the broker sends a message again until Weir completes it with
 * {@code messageArrivedComplete}, also after a reconnect.
 */
final class MqttSubscription implements Subscription {
  private record Receipt(int id, int qos) {}

  private final MqttBroker broker;
  private final Source source;
  private final MqttClient client;
  private final LinkedBlockingQueue<IncomingMessage> arrived = new LinkedBlockingQueue<>();
  private volatile Throwable lost;

  MqttSubscription(MqttBroker broker, Source source) {
    this.broker = broker;
    this.source = source;
    if (source.group() == null) {
      throw new IllegalArgumentException("an MQTT source needs a group (its client id)");
    }
    this.client =
        broker.connect(
            source.group(),
            false,
            true,
            new MqttCallback() {
              @Override
              public void connectionLost(Throwable cause) {
                lost = cause == null ? new IllegalStateException("connection lost") : cause;
              }

              @Override
              public void messageArrived(String topic, MqttMessage m) {
                arrived.add(
                    new IncomingMessage(
                        null,
                        null,
                        m.getPayload(),
                        Map.of(),
                        topic,
                        null,
                        new Receipt(m.getId(), m.getQos())));
              }

              @Override
              public void deliveryComplete(IMqttDeliveryToken token) {}
            });
    try {
      client.subscribe(source.name(), 1);
    } catch (Exception e) {
      MqttBroker.close(client);
      throw broker.failure("cannot subscribe to topic '" + source.name() + "'", e);
    }
  }

  @Override
  public List<IncomingMessage> poll(int max, Duration wait) throws Exception {
    var out = new ArrayList<IncomingMessage>();
    IncomingMessage first = arrived.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (first == null) {
      if (lost != null || !client.isConnected()) {
        throw broker.failure(
            "consuming topic '" + source.name() + "' stopped",
            lost instanceof Exception e ? e : new IllegalStateException("connection lost"));
      }
      return out;
    }
    out.add(first);
    arrived.drainTo(out, max - 1);
    return out;
  }

  @Override
  public void ack(List<IncomingMessage> messages) throws Exception {
    for (IncomingMessage m : messages) {
      var r = (Receipt) m.receipt();
      client.messageArrivedComplete(r.id(), r.qos());
    }
  }

  @Override
  public void close() {
    MqttBroker.close(client);
  }
}
