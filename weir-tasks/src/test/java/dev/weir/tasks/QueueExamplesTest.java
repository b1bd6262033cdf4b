package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.config.ConnectionConfig;
import dev.weir.config.ProjectConfig;
import dev.weir.flow.ConfigBinder;
import dev.weir.tasks.Examples.Run;
import dev.weir.tasks.queue.Brokers;
import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.tasks.queue.LocalBrokers;
import dev.weir.tasks.queue.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of the message publishing task types: kafka.publish against a test broker started
 * for it, rabbitmq.publish, nats.publish and mqtt.publish against the machine's brokers (skipped
 * where there are none), and how a publish fails.
 */
class QueueExamplesTest {
  private static KafkaTestBroker kafka;

  @TempDir Path dir;
  private Examples examples;

  @BeforeEach
  void copyExamples() throws Exception {
    examples = Examples.copiedTo(dir, (ctx, example) -> connectToBrokers(ctx));
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** The broker examples use examples/weir.yaml's connections to the machine's brokers. */
  private void connectToBrokers(TestContext ctx) throws Exception {
    for (String name : List.of("events", "bus", "sensors", "stream")) {
      ctx.connection(examples.connection(name, Map.of("RABBIT_PASSWORD", "guest")));
    }
    if (kafka != null) {
      // the example's connection as written, pointed at the test broker's free port
      ProjectConfig project = examples.project();
      ConnectionConfig c = project.connection("stream", t -> t);
      ctx.connection(
          new ConnectionConfig(
              c.name(),
              c.type(),
              c.url(),
              c.user(),
              c.password(),
              c.properties(),
              c.poolSize(),
              Map.of("bootstrapServers", kafka.bootstrapServers())));
    }
  }

  @Test
  void kafka_publish_example_sends_one_keyed_record_per_row() throws Exception {
    if (kafka == null) {
      kafka = KafkaTestBroker.start();
    }
    String topic = "weir-example-orders";
    kafka.createTopic(topic, 3);
    Run run = examples.run("kafka.publish.yaml");
    assertThat(run.results().get("each_order").outputs()).containsEntry("published", 11L);
    var stream =
        new ConnectionConfig(
            "stream",
            ConnectionConfig.KAFKA,
            null,
            null,
            null,
            Map.of(),
            0,
            Map.of("bootstrapServers", kafka.bootstrapServers()));
    var source = new Source(topic, null, "weir-example");
    try (var b = Brokers.open(stream);
        var s = b.subscribe(source)) {
      var got = new ArrayList<IncomingMessage>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (got.size() < 11 && System.nanoTime() < deadline) {
        got.addAll(s.poll(11, Duration.ofMillis(500)));
      }
      assertThat(got).hasSize(11);
      var first = got.stream().filter(m -> "1".equals(m.key())).findFirst().orElseThrow();
      assertThat(new String(first.body(), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"order_id\":1,\"customer_id\":10,\"status\":\"open\",\"amount\":25.00,"
                  + "\"ordered_on\":\"2024-03-01\"}");
      assertThat(first.id()).startsWith(topic + "-");
      s.ack(got);
    }
  }

  @Test
  void rabbitmq_publish_example_sends_one_message_and_one_per_row() throws Exception {
    LocalBrokers.assumeRabbit();
    String queue = "weir-example-orders";
    LocalBrokers.deleteQueue(queue);
    LocalBrokers.declareQueue(queue);
    try (var b = Brokers.open(LocalBrokers.rabbit());
        var s = b.subscribe(new Source(queue, null, null))) {
      Run run = examples.run("rabbitmq.publish.yaml");
      assertThat(run.results().get("announce").outputs()).containsEntry("published", 1L);
      assertThat(run.results().get("each_order").outputs()).containsEntry("published", 11L);
      var got = new ArrayList<IncomingMessage>();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (got.size() < 12 && System.nanoTime() < deadline) {
        got.addAll(s.poll(12, Duration.ofMillis(200)));
      }
      assertThat(got).hasSize(12);
      assertThat(got.get(0).id()).isEqualTo("order-1");
      assertThat(got.get(0).headers()).containsEntry("source", "weir");
      assertThat(got.get(1).id()).isEqualTo("1");
      assertThat(new String(got.get(1).body(), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"order_id\":1,\"customer_id\":10,\"status\":\"open\",\"amount\":25.00,"
                  + "\"ordered_on\":\"2024-03-01\"}");
      s.ack(got);
    } finally {
      LocalBrokers.deleteQueue(queue);
    }
  }

  @Test
  void nats_publish_example_is_deduplicated_by_its_key_on_a_retry() throws Exception {
    LocalBrokers.assumeNats();
    String stream = "WEIR_EXAMPLE_" + UUID.randomUUID().toString().substring(0, 6);
    LocalBrokers.deleteStream(LocalBrokers.NATS_URL, "WEIR_EXAMPLE");
    LocalBrokers.addStream(LocalBrokers.NATS_URL, stream, "weir.example.orders");
    try {
      Run run = examples.run("nats.publish.yaml");
      assertThat(run.results().get("announce").outputs()).containsEntry("published", 1L);
      assertThat(run.results().get("each_order").outputs()).containsEntry("published", 11L);
      examples.run("nats.publish.yaml"); // as a retry would: every Nats-Msg-Id again
      try (var c = io.nats.client.Nats.connect(LocalBrokers.NATS_URL)) {
        assertThat(c.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount())
            .isEqualTo(12);
      }
    } finally {
      LocalBrokers.deleteStream(LocalBrokers.NATS_URL, stream);
    }
  }

  @Test
  void mqtt_publish_example_sends_one_message_and_one_per_row() throws Exception {
    LocalBrokers.assumeMqtt();
    var source = new Source("weir/example/orders", null, "weir-example-" + UUID.randomUUID());
    try (var b = Brokers.open(LocalBrokers.mqtt());
        var s = b.subscribe(source)) {
      Run run = examples.run("mqtt.publish.yaml");
      assertThat(run.results().get("each_order").outputs()).containsEntry("published", 11L);
      var got = new ArrayList<IncomingMessage>();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (got.size() < 12 && System.nanoTime() < deadline) {
        got.addAll(s.poll(12, Duration.ofMillis(200)));
      }
      assertThat(got).hasSize(12);
      s.ack(got);
    }
  }

  @Test
  void a_publish_to_a_connection_of_another_type_names_the_type_it_needs() throws Exception {
    LocalBrokers.assumeRabbit();
    var ctx = new TestContext(dir);
    connectToBrokers(ctx);
    var type = examples.registry().get("nats.publish");
    assertThatThrownBy(() ->
            Examples.runOne(
                ctx,
                "p",
                type,
                ConfigBinder.MAPPER.readTree(
                    "{\"connection\": \"events\", \"subject\": \"x\", \"message\": \"hi\"}")))
        .hasMessageContaining(
            "connection 'events' is a rabbitmq connection; a nats.publish task needs a `type:"
                + " nats` connection");
  }

  @Test
  void a_failed_publish_never_shows_the_broker_password() throws Exception {
    var ctx = new TestContext(dir);
    ctx.connection(
        new ConnectionConfig(
            "events",
            "rabbitmq",
            "amqp://guest:pw-9f3k@127.0.0.1:" + freePort() + "/%2f",
            "guest",
            "pw-9f3k",
            Map.of(),
            1,
            Map.of()));
    assertThatThrownBy(() ->
            Examples.runOne(
                ctx,
                "p",
                examples.registry().get("rabbitmq.publish"),
                ConfigBinder.MAPPER.readTree(
                    "{\"connection\": \"events\", \"routingKey\": \"q\", \"message\": \"hi\"}")))
        .hasMessageContaining("rabbitmq connection 'events'")
        .hasMessageContaining("cannot connect")
        .hasMessageNotContaining("pw-9f3k");
  }

  private static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
