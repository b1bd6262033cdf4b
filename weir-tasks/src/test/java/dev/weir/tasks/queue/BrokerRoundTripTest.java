package dev.weir.tasks.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.config.ConnectionConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BrokerRoundTripTest {
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);

  private static List<OutgoingMessage> messages(int n) {
    var out = new ArrayList<OutgoingMessage>();
    for (int i = 0; i < n; i++) {
      out.add(
          new OutgoingMessage(
              "k" + i,
              ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
              Map.of("n", "" + i)));
    }
    return out;
  }

  private static List<IncomingMessage> drain(Subscription s, int n) throws Exception {
    var got = new ArrayList<IncomingMessage>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (got.size() < n && System.nanoTime() < deadline) {
      got.addAll(s.poll(n - got.size(), Duration.ofMillis(500)));
    }
    return got;
  }

  @Test
  void rabbitmq_publishes_with_confirms_and_redelivers_what_was_not_acked() throws Exception {
    LocalBrokers.assumeRabbit();
    String queue = "weir-rt-" + SUFFIX;
    LocalBrokers.declareQueue(queue);
    try (Broker b = Brokers.open(LocalBrokers.rabbit())) {
      b.publish(new Destination("", queue, 1), messages(5));
      try (Subscription s = b.subscribe(new Source(queue, null, null))) {
        var got = drain(s, 5);
        assertThat(got)
            .extracting(IncomingMessage::id)
            .containsExactly("k0", "k1", "k2", "k3", "k4");
        assertThat(got.get(1).headers()).containsEntry("n", "1");
        assertThat(new String(got.get(2).body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
        assertThat(got.get(0).publishedAt()).isNotNull();
        s.ack(got.subList(0, 3));
      }
      try (Subscription s = b.subscribe(new Source(queue, null, null))) {
        var again = drain(s, 2);
        assertThat(again).extracting(IncomingMessage::id).containsExactly("k3", "k4");
        s.ack(again);
        assertThat(s.poll(10, Duration.ofMillis(300))).isEmpty();
      }
    } finally {
      LocalBrokers.deleteQueue(queue);
    }
  }

  @Test
  void rabbitmq_refuses_a_message_no_queue_takes() throws Exception {
    LocalBrokers.assumeRabbit();
    try (Broker b = Brokers.open(LocalBrokers.rabbit())) {
      assertThatThrownBy(
              () -> b.publish(new Destination("", "no-such-queue-" + SUFFIX, 1), messages(1)))
          .hasMessageContaining("routed to no queue")
          .hasMessageContaining("no-such-queue-" + SUFFIX);
    }
  }

  @Test
  void a_wrong_broker_password_is_not_in_the_error() {
    LocalBrokers.assumeRabbit();
    var c =
        new ConnectionConfig(
            "events",
            ConnectionConfig.RABBITMQ,
            "amqp://guest:s3cr3t-pw@127.0.0.1:5672/%2f",
            "guest",
            "s3cr3t-pw",
            Map.of(),
            1,
            Map.of());
    assertThatThrownBy(() -> Brokers.open(c))
        .hasMessageContaining("rabbitmq connection 'events' (amqp://127.0.0.1:5672/%2f)")
        .hasMessageNotContaining("s3cr3t-pw");
  }

  @Test
  void nats_jetstream_round_trip_keeps_the_position_of_a_durable_consumer() throws Exception {
    LocalBrokers.assumeNats();
    String stream = "WEIR_RT_" + SUFFIX.toUpperCase();
    String subject = "weir.rt." + SUFFIX;
    LocalBrokers.addStream(LocalBrokers.NATS_URL, stream, subject);
    try (Broker b = Brokers.open(LocalBrokers.nats())) {
      b.publish(Destination.of(subject), messages(5));
      b.publish(Destination.of(subject), messages(1)); // k0 again: dropped by the stream
      var source = new Source(subject, stream, "weir-rt");
      try (Subscription s = b.subscribe(source)) {
        var got = drain(s, 5);
        assertThat(got).extracting(IncomingMessage::id).containsExactly("1", "2", "3", "4", "5");
        assertThat(got)
            .extracting(IncomingMessage::key)
            .containsExactly("k0", "k1", "k2", "k3", "k4");
        assertThat(got.get(1).headers()).containsEntry("n", "1");
        s.ack(got.subList(0, 3));
      }
      try (Subscription s = b.subscribe(source)) {
        var again = drain(s, 2);
        // handed back at close (nak): they come again, not necessarily in order
        assertThat(again).extracting(IncomingMessage::id).containsExactlyInAnyOrder("4", "5");
        s.ack(again);
      }
    } finally {
      LocalBrokers.deleteStream(LocalBrokers.NATS_URL, stream);
    }
  }

  @Test
  void nats_poll_returns_what_is_there_without_waiting_for_a_full_batch() throws Exception {
    LocalBrokers.assumeNats();
    String stream = "WEIR_POLL_" + SUFFIX.toUpperCase();
    String subject = "weir.poll." + SUFFIX;
    LocalBrokers.addStream(LocalBrokers.NATS_URL, stream, subject);
    try (Broker b = Brokers.open(LocalBrokers.nats())) {
      b.publish(Destination.of(subject), messages(3));
      try (Subscription s = b.subscribe(new Source(subject, stream, "weir-poll"))) {
        long t0 = System.nanoTime();
        var got = s.poll(100, Duration.ofSeconds(5));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(got).extracting(IncomingMessage::id).containsExactly("1", "2", "3");
        // a fetch of 100 would hold the three until the wait ended
        assertThat(millis).as("poll took %d ms", millis).isLessThan(2_000);
        s.ack(got);
      }
    } finally {
      LocalBrokers.deleteStream(LocalBrokers.NATS_URL, stream);
    }
  }

  @Test
  void nats_ack_wait_outlasts_how_long_a_trigger_holds_a_batch() throws Exception {
    LocalBrokers.assumeNats();
    String stream = "WEIR_HOLD_" + SUFFIX.toUpperCase();
    String subject = "weir.hold." + SUFFIX;
    LocalBrokers.addStream(LocalBrokers.NATS_URL, stream, subject);
    try (Broker b = Brokers.open(LocalBrokers.nats());
        var c = io.nats.client.Nats.connect(LocalBrokers.NATS_URL)) {
      var held = new Source(subject, stream, "weir-hold", 10, Duration.ofMinutes(5));
      try (Subscription s = b.subscribe(held)) {
        Duration ackWait =
            c.jetStreamManagement()
                .getConsumerInfo(stream, "weir-hold")
                .getConsumerConfiguration()
                .getAckWait();
        // a batch held for its whole maxWait, then stored, must not come back meanwhile
        assertThat(ackWait).isGreaterThan(Duration.ofMinutes(5).plusSeconds(30));
      }
      try (Subscription s = b.subscribe(new Source(subject, stream, "weir-short"))) {
        assertThat(
                c.jetStreamManagement()
                    .getConsumerInfo(stream, "weir-short")
                    .getConsumerConfiguration()
                    .getAckWait())
            .isEqualTo(Duration.ofSeconds(60));
      }
    } finally {
      LocalBrokers.deleteStream(LocalBrokers.NATS_URL, stream);
    }
  }

  @Test
  void nats_says_which_stream_to_add_when_none_takes_the_subject() throws Exception {
    LocalBrokers.assumeNats();
    try (Broker b = Brokers.open(LocalBrokers.nats())) {
      assertThatThrownBy(() -> b.publish(Destination.of("weir.nostream." + SUFFIX), messages(1)))
          .hasMessageContaining("nats stream add");
    }
  }

  @Test
  void mqtt_persistent_session_redelivers_what_was_not_completed() throws Exception {
    LocalBrokers.assumeMqtt();
    String topic = "weir/rt/" + SUFFIX;
    var source = new Source(topic, null, "weir-rt-" + SUFFIX);
    try (Broker b = Brokers.open(LocalBrokers.mqtt())) {
      try (Subscription s = b.subscribe(source)) {
        b.publish(new Destination(topic, null, 1), messages(5));
        var got = drain(s, 5);
        assertThat(got).hasSize(5);
        assertThat(got).allSatisfy(m -> assertThat(m.id()).isNull());
        assertThat(new String(got.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":0}");
        s.ack(got.subList(0, 3));
      }
      try (Subscription s = b.subscribe(source)) {
        var again = drain(s, 2);
        assertThat(again)
            .extracting(m -> new String(m.body(), StandardCharsets.UTF_8))
            .containsExactly("{\"n\":3}", "{\"n\":4}");
        s.ack(again);
      }
    }
  }
}
