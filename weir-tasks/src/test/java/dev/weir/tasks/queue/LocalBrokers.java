package dev.weir.tasks.queue;

import com.rabbitmq.client.ConnectionFactory;
import dev.weir.config.ConnectionConfig;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** The brokers of this machine (and CI), for tests that skip with one line where one is absent. */
public final class LocalBrokers {
  public static final String RABBIT_URL = "amqp://127.0.0.1:5672/%2f";
  public static final String NATS_URL = "nats://127.0.0.1:4222";
  public static final String MQTT_URL = "tcp://127.0.0.1:1883";

  private LocalBrokers() {}

  public static boolean reachable(int port) {
    try (var s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  public static void assumeRabbit() {
    Assumptions.assumeTrue(reachable(5672), "RabbitMQ not reachable on 127.0.0.1:5672; skipped");
  }

  public static void assumeNats() {
    Assumptions.assumeTrue(reachable(4222), "NATS not reachable on 127.0.0.1:4222; skipped");
  }

  public static void assumeMqtt() {
    Assumptions.assumeTrue(reachable(1883), "MQTT broker not reachable on 127.0.0.1:1883; skipped");
  }

  public static ConnectionConfig connection(String name, String type, String url) {
    boolean rabbit = type.equals(ConnectionConfig.RABBITMQ);
    String user = rabbit ? "guest" : null;
    String password = rabbit ? "guest" : null;
    return new ConnectionConfig(name, type, url, user, password, Map.of(), 1, Map.of("url", url));
  }

  public static ConnectionConfig rabbit() {
    return connection("events", ConnectionConfig.RABBITMQ, RABBIT_URL);
  }

  public static ConnectionConfig nats() {
    return connection("events", ConnectionConfig.NATS, NATS_URL);
  }

  public static ConnectionConfig mqtt() {
    return connection("events", ConnectionConfig.MQTT, MQTT_URL);
  }

  /** Declares a durable queue (deleted when {@code autoDelete}... never: tests delete it). */
  public static void declareQueue(String queue) throws Exception {
    var f = new ConnectionFactory();
    f.setUri(RABBIT_URL);
    try (var c = f.newConnection();
        var ch = c.createChannel()) {
      ch.queueDeclare(queue, true, false, false, null);
    }
  }

  public static void deleteQueue(String queue) {
    var f = new ConnectionFactory();
    try {
      f.setUri(RABBIT_URL);
      try (var c = f.newConnection();
          var ch = c.createChannel()) {
        ch.queueDelete(queue);
      }
    } catch (Exception ignored) {
      // best effort
    }
  }

  /** Adds a file-backed JetStream stream over {@code subject}s on the server at {@code url}. */
  public static void addStream(String url, String stream, String subject) throws Exception {
    try (var c = Nats.connect(url)) {
      c.jetStreamManagement()
          .addStream(
              StreamConfiguration.builder()
                  .name(stream)
                  .subjects(subject)
                  .storageType(StorageType.File)
                  .build());
    }
  }

  public static void deleteStream(String url, String stream) {
    try (var c = Nats.connect(url)) {
      c.jetStreamManagement().deleteStream(stream);
    } catch (Exception ignored) {
      // best effort
    }
  }
}
