package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.config.ConnectionConfig;
import dev.weir.server.ServerFixture;
import dev.weir.tasks.KafkaTestBroker;
import dev.weir.tasks.queue.Brokers;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka triggers end to end against a real Kafka (KRaft in a child JVM, started once for the
 * class): runs from records once each across a Weir restart, a crash before the commit, a
 * redelivery and a {@code kill -9} of the broker.
 */
class KafkaQueueTriggerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARTITIONS = 3;
  private static KafkaTestBroker kafka;

  @TempDir Path dir;
  ServerFixture fx;
  String topic;
  String group;

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

  @BeforeEach
  void fixture() throws Exception {
    if (!kafka.isRunning()) {
      kafka.restart(); // a test that failed while the broker was down
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    topic = "weir-trigger-" + suffix;
    group = "weir-test-" + suffix;
    kafka.createTopic(topic, PARTITIONS);
    Files.writeString(
        dir.resolve("weir.yaml"),
        """
        connections:
          stream:
            type: kafka
            bootstrapServers: %s
        """
            .formatted(kafka.bootstrapServers()));
    fx = new ServerFixture(dir);
    fx.writeFlow(
        "q/q.yaml",
        """
        id: q
        namespace: queues
        inputs:
          - {id: n, type: string, default: "-"}
        tasks:
          - id: take
            type: test.ok
        triggers:
          - id: orders
            type: kafka
            connection: stream
            topic: %s
            group: %s
            inputs: {n: "{{ trigger.json.n }}/{{ trigger.messageKey }}"}
        """
            .formatted(topic, group));
  }

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  void start() {
    TriggerServer.start(fx, Map.of());
  }

  ConnectionConfig connection() {
    return new ConnectionConfig(
        "stream",
        ConnectionConfig.KAFKA,
        null,
        null,
        null,
        Map.of(),
        0,
        Map.of("bootstrapServers", kafka.bootstrapServers()));
  }

  /** Records {"n": i} keyed k-i, spread over the partitions by their keys. */
  void publish(int from, int to) throws Exception {
    List<OutgoingMessage> messages =
        IntStream.range(from, to)
            .mapToObj(i ->
                new OutgoingMessage(
                    "k-" + i, ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8), Map.of()))
            .toList();
    try (var b = Brokers.open(connection())) {
      b.publish(Destination.of(topic), messages);
    }
  }

  /** The input n of every run of the flow, with how many runs carry it. */
  Map<String, Long> runsPerN() throws Exception {
    var out = new ArrayList<String>();
    try (var c = fx.server.store().dataSource().getConnection();
        var ps = c.prepareStatement("SELECT inputs FROM weir_runs WHERE flow_id = 'q'");
        var rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(JSON.readTree(rs.getString(1)).path("n").asText());
      }
    }
    return out.stream()
        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
  }

  long runCount() throws Exception {
    return runsPerN().values().stream().mapToLong(Long::longValue).sum();
  }

  void awaitRuns(long n) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> runCount() >= n);
  }

  void assertOncePerMessage(int total) throws Exception {
    Thread.sleep(1500); // what more would come, if anything were doubled
    Map<String, Long> perN = runsPerN();
    assertThat(perN).hasSize(total);
    assertThat(perN.values()).containsOnly(1L);
    assertThat(perN)
        .containsEntry("0/k-0", 1L)
        .containsEntry((total - 1) + "/k-" + (total - 1), 1L);
  }

  @Test
  void a_thousand_records_make_a_thousand_runs_once_each_across_a_crash_and_a_server_restart()
      throws Exception {
    publish(0, 1000);
    start();
    // a crash between storing a batch's runs and committing its offsets: the batch comes back
    var batches = new AtomicInteger();
    fx.server
        .triggers()
        .queues()
        .beforeAck(() -> {
          if (batches.incrementAndGet() == 3) {
            throw new IllegalStateException("simulated crash before the commit");
          }
        });
    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> runCount() >= 300);
    long before = runCount();
    fx.server.close(); // in the middle: what was not committed is delivered again
    start();
    awaitRuns(1000);
    assertThat(before).as("runs when the server stopped").isLessThan(1000);
    assertThat(batches.get()).isGreaterThanOrEqualTo(3);
    assertOncePerMessage(1000);
  }

  @Test
  void a_redelivered_record_starts_no_second_run() throws Exception {
    start();
    publish(0, 5);
    awaitRuns(5);
    fx.server.close();
    // as a lost commit would: the group reads the topic again from its first offsets
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      var offsets = new java.util.HashMap<TopicPartition, OffsetAndMetadata>();
      for (int i = 0; i < PARTITIONS; i++) {
        offsets.put(new TopicPartition(topic, i), new OffsetAndMetadata(0));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> {
            admin.alterConsumerGroupOffsets(group, offsets).all().get(10, TimeUnit.SECONDS);
            return true;
          });
    }
    start();
    publish(5, 7);
    awaitRuns(7);
    // every record, the five again included, handled and committed: the group is at the end
    try (Admin admin = Admin.create(p)) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(() ->
              admin
                      .listConsumerGroupOffsets(group)
                      .partitionsToOffsetAndMetadata()
                      .get(10, TimeUnit.SECONDS)
                      .values()
                      .stream()
                      .mapToLong(OffsetAndMetadata::offset)
                      .sum()
                  == 7);
    }
    assertOncePerMessage(7);
  }

  @Test
  void a_broker_killed_and_restarted_while_consuming_loses_and_doubles_nothing() throws Exception {
    publish(0, 1000);
    var holding = new CountDownLatch(1);
    var killed = new CountDownLatch(1);
    var batches = new AtomicInteger();
    try (var log = new LogCapture()) {
      start();
      // the consumer holds a stored, uncommitted batch while the broker dies: the hardest moment
      fx.server
          .triggers()
          .queues()
          .beforeAck(() -> {
            if (batches.incrementAndGet() == 3) {
              holding.countDown();
              try {
                killed.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      assertThat(holding.await(60, TimeUnit.SECONDS)).as("a batch was stored").isTrue();
      kafka.kill(); // SIGKILL
      killed.countDown();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> log.text().contains("cannot consume " + topic));
      long during = runCount();
      Thread.sleep(1500); // a few reconnect attempts against nothing
      kafka.restart();
      try {
        awaitRuns(1000);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            runCount()
                + " of 1000 runs; "
                + during
                + " when the broker died; log:\n"
                + String.join(
                    "\n", log.text().lines().filter(l -> !l.contains("started run")).toList()),
            e);
      }
      assertThat(during).as("runs when the broker died").isLessThan(1000);
      assertOncePerMessage(1000);
      String text = log.text();
      assertThat(text.split("cannot consume " + topic, -1)).as(text).hasSize(2); // once
      assertThat(text).contains("consuming " + topic + " again");
    }
  }
}
