package dev.weir.bench;

import com.rabbitmq.client.ConnectionFactory;
import dev.weir.config.ConnectionConfig;
import dev.weir.tasks.queue.Broker;
import dev.weir.tasks.queue.Brokers;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.OutgoingMessage;
import dev.weir.tasks.queue.Source;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One fresh queue (RabbitMQ) or stream (NATS JetStream) on the machine's broker for one
 * measurement, deleted by {@link #close}: the connection the server and the bench use, the
 * trigger's YAML, and publishing through Weir's own {@link Broker} client.
 */
final class BenchQueue implements AutoCloseable {
  static final String RABBIT_URL = "amqp://127.0.0.1:5672/%2f";
  static final String NATS_URL = "nats://127.0.0.1:4222";

  final String broker;
  private final String name;

  private BenchQueue(String broker) throws Exception {
    this.broker = broker;
    String id = UUID.randomUUID().toString().substring(0, 8);
    if (broker.equals("rabbitmq")) {
      name = "weir-bench-" + id;
      try (var c = rabbit().newConnection();
          var ch = c.createChannel()) {
        ch.queueDeclare(name, true, false, false, null);
      }
    } else {
      name = "WEIRBENCH_" + id;
      try (var c = Nats.connect(NATS_URL)) {
        c.jetStreamManagement()
            .addStream(
                StreamConfiguration.builder()
                    .name(name)
                    .subjects(subject())
                    .storageType(StorageType.File)
                    .build());
      }
    }
  }

  static BenchQueue create(String broker) throws Exception {
    return new BenchQueue(broker);
  }

  /** One clear line when the broker does not answer on its port, else null. */
  static String unreachable(String broker) {
    int port = broker.equals("rabbitmq") ? 5672 : 4222;
    try (var s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return null;
    } catch (Exception e) {
      return broker + " not reachable on 127.0.0.1:" + port + "; skipped";
    }
  }

  private static ConnectionFactory rabbit() throws Exception {
    var f = new ConnectionFactory();
    f.setUri(RABBIT_URL);
    return f;
  }

  private String subject() {
    return "weirbench." + name.substring(10).toLowerCase() + ".m";
  }

  ConnectionConfig connection() {
    return broker.equals("rabbitmq")
        ? new ConnectionConfig(
            "events", "rabbitmq", RABBIT_URL, "guest", "guest", Map.of(), 0, Map.of())
        : new ConnectionConfig("events", "nats", NATS_URL, null, null, Map.of(), 0, Map.of());
  }

  /** weir.yaml of the server's project, with this broker as connection {@code events}. */
  String weirYaml() {
    return broker.equals("rabbitmq")
        ? "connections:\n  events:\n    type: rabbitmq\n    url: "
            + RABBIT_URL
            + "\n    user: guest\n    password: guest\n"
        : "connections:\n  events:\n    type: nats\n    url: " + NATS_URL + "\n";
  }

  /** The trigger's broker keys (queue; or subject and stream), indented as a trigger's. */
  String triggerSource() {
    return broker.equals("rabbitmq")
        ? "    queue: " + name + "\n"
        : "    subject: " + subject() + "\n    stream: " + name + "\n";
  }

  /** What the broker-alone baseline consumes, with the prefetch a trigger would ask for. */
  Source source(int prefetch) {
    return broker.equals("rabbitmq")
        ? new Source(name, null, null, prefetch)
        : new Source(subject(), name, "bench_baseline", prefetch);
  }

  private Destination destination() {
    return broker.equals("rabbitmq")
        ? new Destination("", name, 1)
        : new Destination(subject(), null, 1);
  }

  /** N messages {@code {"n": i}} with a {@code sentAt} header, confirmed in chunks of 1,000. */
  void publish(Broker b, int n) throws Exception {
    for (int from = 0; from < n; from += 1000) {
      var chunk = new ArrayList<OutgoingMessage>();
      for (int i = from; i < Math.min(n, from + 1000); i++) {
        chunk.add(message(i));
      }
      b.publish(destination(), chunk);
    }
  }

  /** One message, its {@code sentAt} header stamped now; returns once the broker confirmed it. */
  void publishOne(Broker b, int i) throws Exception {
    b.publish(destination(), List.of(message(i)));
  }

  private static OutgoingMessage message(int i) {
    return new OutgoingMessage(
        null,
        ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8),
        Map.of("sentAt", Instant.now().toString()));
  }

  Broker open() throws Exception {
    return Brokers.open(connection());
  }

  @Override
  public void close() throws Exception {
    if (broker.equals("rabbitmq")) {
      try (var c = rabbit().newConnection();
          var ch = c.createChannel()) {
        ch.queueDelete(name);
      }
    } else {
      try (var c = Nats.connect(NATS_URL)) {
        c.jetStreamManagement().deleteStream(name);
      }
    }
  }
}
