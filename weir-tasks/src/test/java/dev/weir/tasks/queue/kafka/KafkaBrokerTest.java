package dev.weir.tasks.queue.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weir.WeirException;
import dev.weir.config.ConnectionConfig;
import dev.weir.config.ProjectConfig;
import dev.weir.tasks.KafkaTestBroker;
import dev.weir.tasks.queue.Broker;
import dev.weir.tasks.queue.Brokers;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.tasks.queue.OutgoingMessage;
import dev.weir.tasks.queue.Source;
import dev.weir.tasks.queue.Subscription;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class KafkaBrokerTest {
  private static KafkaTestBroker kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = KafkaTestBroker.start();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static ConnectionConfig connection(String bootstrapServers, Map<String, String> properties) {
    return new ConnectionConfig(
        "stream",
        ConnectionConfig.KAFKA,
        null,
        null,
        null,
        properties,
        0,
        Map.of("bootstrapServers", bootstrapServers));
  }

  static List<OutgoingMessage> messages(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(i ->
            new OutgoingMessage(
                "k-" + i,
                ("m-" + i).getBytes(StandardCharsets.UTF_8),
                Map.of("n", Integer.toString(i))))
        .toList();
  }

  static String body(IncomingMessage m) {
    return new String(m.body(), StandardCharsets.UTF_8);
  }

  /** Polls until {@code count} messages came or 60 s passed, acknowledging each batch if asked. */
  static List<IncomingMessage> receive(Subscription sub, int count, boolean ack) throws Exception {
    return receive(sub, count, ack, Duration.ofSeconds(60));
  }

  static List<IncomingMessage> receive(Subscription sub, int count, boolean ack, Duration within)
      throws Exception {
    List<IncomingMessage> got = new ArrayList<>();
    long deadline = System.nanoTime() + within.toNanos();
    while (got.size() < count && System.nanoTime() < deadline) {
      List<IncomingMessage> batch = sub.poll(100, Duration.ofMillis(500));
      got.addAll(batch);
      if (ack && !batch.isEmpty()) {
        sub.ack(batch);
      }
    }
    return got;
  }

  @Test
  void a_thousand_published_messages_are_each_consumed_once_with_key_and_headers()
      throws Exception {
    String topic = "orders-" + UUID.randomUUID();
    kafka.createTopic(topic, 3);
    try (Broker broker = Brokers.open(connection(kafka.bootstrapServers(), Map.of()))) {
      for (int i = 0; i < 1000; i += 250) {
        broker.publish(Destination.of(topic), messages(i, i + 250));
      }
      List<IncomingMessage> got;
      try (Subscription sub = broker.subscribe(new Source(topic, null, "g-all"))) {
        got = receive(sub, 1000, true);
        assertThat(sub.poll(100, Duration.ofMillis(500))).isEmpty();
      }
      assertThat(got).hasSize(1000);
      assertThat(got.stream().map(IncomingMessage::id).distinct()).hasSize(1000);
      assertThat(got.stream().map(KafkaBrokerTest::body))
          .containsExactlyInAnyOrderElementsOf(
              IntStream.range(0, 1000).mapToObj(i -> "m-" + i).toList());
      IncomingMessage one = got.get(0);
      String n = body(one).substring(2);
      assertThat(one.key()).isEqualTo("k-" + n);
      assertThat(one.headers()).containsEntry("n", n);
      assertThat(one.source()).isEqualTo(topic);
      assertThat(one.id()).matches(topic + "-[0-2]-\\d+");
      assertThat(one.publishedAt()).isNotNull();

      // everything was acknowledged: the group has nothing more to read
      try (Subscription again = broker.subscribe(new Source(topic, null, "g-all"))) {
        assertThat(receive(again, 1, true, Duration.ofSeconds(5))).isEmpty();
      }
    }
  }

  @Test
  void messages_a_consumer_did_not_acknowledge_go_to_the_next_consumer_of_the_group_with_same_ids()
      throws Exception {
    String topic = "redeliver-" + UUID.randomUUID();
    kafka.createTopic(topic, 1);
    try (Broker broker = Brokers.open(connection(kafka.bootstrapServers(), Map.of()))) {
      broker.publish(Destination.of(topic), messages(0, 50));
      List<IncomingMessage> first;
      try (Subscription sub = broker.subscribe(new Source(topic, null, "g-redeliver"))) {
        first = receive(sub, 50, false);
        assertThat(first).hasSize(50);
        // 0-9 and 15-19 acknowledged, 10-14 not: Kafka's offset can only move to 10
        sub.ack(first.subList(0, 10));
        sub.ack(first.subList(15, 20));
      }
      try (Subscription next = broker.subscribe(new Source(topic, null, "g-redeliver"))) {
        List<IncomingMessage> again = receive(next, 40, true);
        assertThat(again)
            .extracting(IncomingMessage::id)
            .containsExactlyElementsOf(
                first.subList(10, 50).stream().map(IncomingMessage::id).toList());
        assertThat(again)
            .extracting(KafkaBrokerTest::body)
            .containsExactlyElementsOf(
                first.subList(10, 50).stream().map(KafkaBrokerTest::body).toList());
      }
    }
  }

  @Test
  void
      when_a_second_consumer_joins_the_group_it_gets_the_unacknowledged_messages_of_its_partitions()
          throws Exception {
    String topic = "rebalance-" + UUID.randomUUID();
    kafka.createTopic(topic, 2);
    Source source = new Source(topic, null, "g-rebalance");
    try (Broker broker = Brokers.open(connection(kafka.bootstrapServers(), Map.of()))) {
      broker.publish(Destination.of(topic), messages(0, 100));
      try (Subscription first = broker.subscribe(source);
          Subscription second = broker.subscribe(source)) {
        List<IncomingMessage> held = receive(first, 100, false);
        assertThat(held).hasSize(100); // alone in the group: both partitions, none acknowledged

        Set<String> toFirst = new HashSet<>();
        Set<String> toSecond = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (toFirst.size() + toSecond.size() < 100 && System.nanoTime() < deadline) {
          List<IncomingMessage> a = first.poll(100, Duration.ofMillis(200));
          first.ack(a);
          a.forEach(m -> toFirst.add(m.id()));
          List<IncomingMessage> b = second.poll(100, Duration.ofMillis(200));
          second.ack(b);
          b.forEach(m -> toSecond.add(m.id()));
        }
        // held before the rebalance: acknowledging them now commits nothing of a partition the
        // first consumer lost, and is no error
        first.ack(held);

        assertThat(toSecond).as("the second consumer's share").isNotEmpty();
        assertThat(toFirst).doesNotContainAnyElementsOf(toSecond);
        assertThat(union(toFirst, toSecond))
            .containsExactlyInAnyOrderElementsOf(held.stream().map(IncomingMessage::id).toList());
      }
      try (Subscription after = broker.subscribe(source)) {
        assertThat(receive(after, 1, true, Duration.ofSeconds(5))).isEmpty();
      }
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void poll_hands_out_at_most_max_and_keeps_the_rest_for_the_next_poll() throws Exception {
    String topic = "max-" + UUID.randomUUID();
    kafka.createTopic(topic, 1);
    try (Broker broker = Brokers.open(connection(kafka.bootstrapServers(), Map.of()))) {
      broker.publish(Destination.of(topic), messages(0, 30));
      try (Subscription sub = broker.subscribe(new Source(topic, null, "g-max"))) {
        List<IncomingMessage> got = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (got.size() < 30 && System.nanoTime() < deadline) {
          List<IncomingMessage> batch = sub.poll(7, Duration.ofMillis(500));
          assertThat(batch.size()).isLessThanOrEqualTo(7);
          got.addAll(batch);
        }
        assertThat(got)
            .extracting(KafkaBrokerTest::body)
            .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "m-" + i).toList());
      }
    }
  }

  @Test
  void publishing_to_a_missing_topic_says_it_does_not_exist() throws Exception {
    try (Broker broker = Brokers.open(connection(kafka.bootstrapServers(), Map.of()))) {
      assertThatThrownBy(() -> broker.publish(Destination.of("no-such-topic"), messages(0, 1)))
          .isInstanceOf(WeirException.class)
          .hasMessage(
              "kafka connection 'stream' ("
                  + kafka.bootstrapServers()
                  + "): topic 'no-such-topic' does not exist; create it (kafka-topics.sh --create"
                  + " --topic no-such-topic) or correct the name");
      assertThatThrownBy(() -> broker.subscribe(new Source("no-such-topic", null, "g")))
          .isInstanceOf(WeirException.class)
          .hasMessageContaining("topic 'no-such-topic' does not exist");
    }
  }

  @Test
  void a_message_too_large_to_publish_says_which_settings_to_raise() throws Exception {
    String topic = "large-" + UUID.randomUUID();
    kafka.createTopic(topic, 1);
    var large = new OutgoingMessage("k", new byte[2 * 1024 * 1024], Map.of());
    try (Broker broker = Brokers.open(connection(kafka.bootstrapServers(), Map.of()))) {
      assertThatThrownBy(() -> broker.publish(Destination.of(topic), List.of(large)))
          .isInstanceOf(WeirException.class)
          .hasMessageContaining("publishing 1 message(s) to topic '" + topic + "' failed")
          .hasMessageContaining("raise max.request.size in properties");
    }
  }

  @Test
  void the_connection_example_of_the_docs_loads_and_an_unresolvable_host_is_named(@TempDir Path dir)
      throws Exception {
    String doc = Files.readString(Path.of("../docs/queues-kafka.md"));
    Matcher yaml = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(yaml.find()).as("docs/queues-kafka.md has a weir.yaml example").isTrue();
    Files.writeString(dir.resolve("weir.yaml"), yaml.group(1));
    String password = "from-the-secret-store-42";
    ConnectionConfig stream =
        ProjectConfig.load(dir.resolve("weir.yaml"))
            .connection("stream", s -> s.replace("{{ secret('KAFKA_PASSWORD') }}", password));
    assertThat(stream.setting("bootstrapServers", null)).isEqualTo("kafka-1:9092,kafka-2:9092");
    assertThat(stream.properties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(stream.properties().get("sasl.jaas.config")).contains(password);

    try (Broker broker = Brokers.open(stream)) {
      assertThatThrownBy(() -> broker.subscribe(new Source("orders", null, "weir")))
          .isInstanceOf(WeirException.class)
          .hasMessageStartingWith(
              "kafka connection 'stream' (kafka-1:9092,kafka-2:9092): subscribing to topic"
                  + " 'orders' failed: opening a client with the connection's properties: No"
                  + " resolvable bootstrap urls")
          .message()
          .doesNotContain(password);
    }
  }

  @Test
  void a_subscription_without_a_group_is_refused() throws Exception {
    try (Broker broker = Brokers.open(connection(kafka.bootstrapServers(), Map.of()))) {
      assertThatThrownBy(() -> broker.subscribe(new Source("t", null, null)))
          .hasMessageContaining("subscribing to topic 't' needs a consumer group");
    }
  }

  @Test
  void an_unreachable_broker_is_a_clear_error_within_the_default_timeout() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    long start = System.nanoTime();
    try (Broker broker = Brokers.open(connection("127.0.0.1:" + port, Map.of()))) {
      assertThatThrownBy(() -> broker.publish(Destination.of("orders"), messages(0, 1)))
          .isInstanceOf(WeirException.class)
          .hasMessageStartingWith(
              "kafka connection 'stream' (127.0.0.1:"
                  + port
                  + "): publishing to topic 'orders' failed: no answer from the cluster within"
                  + " 10000 ms")
          .hasMessageContaining("check that Kafka is running and reachable at bootstrapServers");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
  }

  @Test
  void a_password_in_the_properties_shows_in_no_error_and_no_log() throws Exception {
    String password = "Pa55-" + UUID.randomUUID();
    var logs = new ListAppender<ILoggingEvent>();
    logs.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    // everything the Kafka client logs, down to DEBUG, to the list only (not the console)
    Logger kafkaLog = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    var level = kafkaLog.getLevel();
    kafkaLog.setLevel(ch.qos.logback.classic.Level.DEBUG);
    kafkaLog.setAdditive(false);
    kafkaLog.addAppender(logs);
    List<String> texts = new ArrayList<>();
    try {
      // a SASL client against the test broker's plaintext listener: it never gets an answer
      Map<String, String> sasl =
          Map.of(
              "security.protocol", "SASL_PLAINTEXT",
              "sasl.mechanism", "PLAIN",
              "sasl.jaas.config",
                  "org.apache.kafka.common.security.plain.PlainLoginModule required"
                      + " username=\"weir\" password=\""
                      + password
                      + "\";",
              "default.api.timeout.ms", "3000",
              "request.timeout.ms", "3000");
      // a JAAS line Kafka cannot parse (no closing semicolon)
      Map<String, String> malformed =
          Map.of(
              "security.protocol", "SASL_PLAINTEXT",
              "sasl.mechanism", "PLAIN",
              "sasl.jaas.config", "PlainLoginModule required password=\"" + password + "\"");
      for (Map<String, String> properties : List.of(sasl, malformed)) {
        try (Broker broker = Brokers.open(connection(kafka.bootstrapServers(), properties))) {
          Throwable error =
              org.assertj.core.api.Assertions.catchThrowable(
                  () -> broker.publish(Destination.of("orders"), messages(0, 1)));
          assertThat(error).isInstanceOf(WeirException.class);
          var trace = new StringWriter();
          error.printStackTrace(new PrintWriter(trace));
          texts.add(trace.toString());
        }
      }
      assertThat(texts.get(0))
          .contains(
              "publishing to topic 'orders' failed: authentication failed (Unexpected handshake"
                  + " request with client mechanism PLAIN, enabled mechanisms are []); check"
                  + " sasl.mechanism and sasl.jaas.config");
      assertThat(texts.get(1))
          .startsWith(
              "dev.weir.WeirException: kafka connection 'stream' ("
                  + kafka.bootstrapServers()
                  + "): publishing to topic 'orders' failed: opening a client")
          .contains("JAAS config entry not terminated by semi-colon");
    } finally {
      root.detachAppender(logs);
      kafkaLog.detachAppender(logs);
      kafkaLog.setAdditive(true);
      kafkaLog.setLevel(level);
    }
    for (ILoggingEvent e : logs.list) {
      texts.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        texts.add(ch.qos.logback.classic.spi.ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
    }
    assertThat(logs.list).isNotEmpty();
    Set<String> leaks = new HashSet<>();
    for (String t : texts) {
      if (t.contains(password)) {
        leaks.add(t);
      }
    }
    assertThat(leaks).isEmpty();
  }
}
