package dev.weir.tasks.queue.kafka;

import static dev.weir.tasks.queue.kafka.KafkaBrokerTest.body;
import static dev.weir.tasks.queue.kafka.KafkaBrokerTest.connection;
import static dev.weir.tasks.queue.kafka.KafkaBrokerTest.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import dev.weir.tasks.KafkaTestBroker;
import dev.weir.tasks.queue.Broker;
import dev.weir.tasks.queue.Brokers;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.tasks.queue.Source;
import dev.weir.tasks.queue.Subscription;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Its own broker: killing it would disturb the other Kafka tests. */
class KafkaBrokerRestartTest {
  private static final int COUNT = 400;
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

  @Test
  void a_broker_killed_and_restarted_while_consuming_loses_nothing_and_repeats_only_unacked()
      throws Exception {
    String topic = "restart";
    kafka.createTopic(topic, 2);
    Map<String, String> properties =
        Map.of(
            // fail an ack to a dead broker in 3 s rather than 10
            "default.api.timeout.ms", "3000",
            "request.timeout.ms", "3000",
            // the killed consumer could not leave the group: let the coordinator drop it soon
            "session.timeout.ms", "6000",
            "heartbeat.interval.ms", "1000");
    Source source = new Source(topic, null, "g-restart");
    Map<String, Integer> deliveries = new HashMap<>();
    Map<String, String> bodies = new HashMap<>();
    Set<String> acked = new HashSet<>();
    Set<String> unackedAtKill;

    try (Broker broker = Brokers.open(connection(kafka.bootstrapServers(), properties))) {
      broker.publish(Destination.of(topic), messages(0, COUNT));

      Subscription sub = broker.subscribe(source);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (acked.size() < COUNT / 3 && System.nanoTime() < deadline) {
        List<IncomingMessage> batch = sub.poll(50, Duration.ofMillis(500));
        record(batch, deliveries, bodies, acked);
        sub.ack(batch);
        batch.forEach(m -> acked.add(m.id()));
      }
      assertThat(acked).hasSizeGreaterThanOrEqualTo(COUNT / 3);

      // a batch is in hand, not yet acknowledged, when the broker dies
      List<IncomingMessage> inHand = List.of();
      while (inHand.isEmpty() && System.nanoTime() < deadline) {
        inHand = sub.poll(50, Duration.ofMillis(500));
      }
      record(inHand, deliveries, bodies, acked);
      unackedAtKill =
          inHand.stream().map(IncomingMessage::id).collect(Collectors.toCollection(HashSet::new));
      assertThat(unackedAtKill).isNotEmpty();
      kafka.kill();

      List<IncomingMessage> lost = inHand;
      assertThatThrownBy(() -> sub.ack(lost))
          .isInstanceOf(WeirException.class)
          .hasMessageContaining("acknowledging " + lost.size() + " message(s) of topic 'restart'")
          .hasMessageContaining("(they will be delivered again)");
      // polls hand out what the consumer had fetched, then nothing, until the probe finds the
      // cluster gone
      long pollStart = System.nanoTime();
      Set<String> fetchedBeforeKill = new HashSet<>();
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 30; i++) {
                  List<IncomingMessage> batch = sub.poll(50, Duration.ofMillis(500));
                  record(batch, deliveries, bodies, acked);
                  batch.forEach(m -> fetchedBeforeKill.add(m.id()));
                }
              })
          .isInstanceOf(WeirException.class)
          .hasMessageContaining(
              "reading topic 'restart' failed: no answer from the cluster within 3000 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - pollStart))
          .isLessThan(Duration.ofSeconds(12));
      unackedAtKill.addAll(fetchedBeforeKill);
      sub.close();

      kafka.restart();

      // as a trigger does: subscribe again, and go on until every message was seen
      try (Subscription again = broker.subscribe(source)) {
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (bodies.size() < COUNT || !deliveredTwice(deliveries).containsAll(unackedAtKill)) {
          assertThat(System.nanoTime()).as("all messages within 60 s").isLessThan(deadline);
          List<IncomingMessage> batch = again.poll(50, Duration.ofMillis(500));
          record(batch, deliveries, bodies, acked);
          again.ack(batch);
          batch.forEach(m -> acked.add(m.id()));
        }
      }
    }

    assertThat(bodies.values())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, COUNT).mapToObj(i -> "m-" + i).toList());
    assertThat(deliveredTwice(deliveries)).isEqualTo(unackedAtKill);
  }

  /** Counts deliveries; a message already acknowledged must never come again. */
  private static void record(
      List<IncomingMessage> batch,
      Map<String, Integer> deliveries,
      Map<String, String> bodies,
      Set<String> acked) {
    for (IncomingMessage m : batch) {
      assertThat(acked).as("redelivered after its ack: " + m.id()).doesNotContain(m.id());
      deliveries.merge(m.id(), 1, Integer::sum);
      String before = bodies.put(m.id(), body(m));
      assertThat(before == null || before.equals(body(m))).as("same id, same body").isTrue();
    }
  }

  private static Set<String> deliveredTwice(Map<String, Integer> deliveries) {
    return deliveries.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }
}
