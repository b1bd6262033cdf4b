package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import dev.weir.server.ServerFixture;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queue triggers against the machine's RabbitMQ: runs from messages, once each. */
class QueueTriggerTest {
  static final String RABBIT = "amqp://127.0.0.1:5672/%2f";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  ServerFixture fx;
  String queue;

  static boolean reachable(int port) {
    try (var s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @BeforeEach
  void fixture() throws Exception {
    Assumptions.assumeTrue(reachable(5672), "RabbitMQ not reachable on 127.0.0.1:5672; skipped");
    fx = new ServerFixture(dir);
    queue = "weir-trigger-" + UUID.randomUUID().toString().substring(0, 8);
    try (var c = factory().newConnection();
        var ch = c.createChannel()) {
      ch.queueDeclare(queue, true, false, false, null);
    }
    Files.writeString(
        dir.resolve("weir.yaml"),
        """
        connections:
          events:
            type: rabbitmq
            url: amqp://127.0.0.1:5672/%2f
            user: guest
            password: "{{ secret('RABBIT_PASSWORD') }}"
        """);
  }

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
      try (var c = factory().newConnection();
          var ch = c.createChannel()) {
        ch.queueDelete(queue);
      }
    }
  }

  static ConnectionFactory factory() throws Exception {
    var f = new ConnectionFactory();
    f.setUri(RABBIT);
    return f;
  }

  void flow(String trigger) throws Exception {
    flow("", trigger);
  }

  void flow(String head, String trigger) throws Exception {
    fx.writeFlow(
        "q/q.yaml",
        """
        id: q
        namespace: queues
        """
            + head
            + """
            inputs:
              - {id: n, type: string, default: "-"}
            tasks:
              - id: take
                type: test.ok
            triggers:
            """
            + trigger.indent(2));
  }

  void start() {
    TriggerServer.start(fx, Map.of("WEIR_SECRET_RABBIT_PASSWORD", "guest"));
  }

  void publish(int from, int to) throws Exception {
    try (var c = factory().newConnection();
        var ch = c.createChannel()) {
      ch.confirmSelect();
      for (int i = from; i < to; i++) {
        var props = new AMQP.BasicProperties.Builder().messageId("m-" + i).build();
        ch.basicPublish("", queue, props, ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8));
      }
      ch.waitForConfirmsOrDie(30_000);
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

  static final String ONE_PER_MESSAGE =
      """
      - id: orders
        type: rabbitmq
        connection: events
        queue: %s
        inputs: {n: "{{ trigger.json.n }}"}
      """;

  @Test
  void a_thousand_messages_make_a_thousand_runs_once_each_across_a_server_restart()
      throws Exception {
    flow(ONE_PER_MESSAGE.formatted(queue));
    publish(0, 1000);
    start();
    // a crash between storing a batch's runs and acknowledging it: the batch comes back
    var batches = new AtomicInteger();
    fx.server
        .triggers()
        .queues()
        .beforeAck(() -> {
          if (batches.incrementAndGet() == 3) {
            throw new IllegalStateException("simulated crash before the ack");
          }
        });
    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> runCount() >= 300);
    long before = runCount();
    fx.server.close(); // in the middle: what was not acknowledged goes back to the queue
    start();
    awaitRuns(1000);
    Thread.sleep(1500); // what more would come, if anything were doubled
    Map<String, Long> perN = runsPerN();
    assertThat(before).as("runs when the server stopped").isLessThan(1000);
    assertThat(perN).hasSize(1000);
    assertThat(perN.values()).containsOnly(1L);
    assertThat(batches.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void a_redelivered_message_starts_no_second_run() throws Exception {
    flow(
        """
        - id: orders
          type: rabbitmq
          connection: events
          queue: %s
          inputs: {n: "{{ trigger.json.n }}/{{ trigger.messageId }}/{{ trigger.id }}/{{ trigger.source }}"}
        """
            .formatted(queue));
    start();
    publish(7, 8);
    awaitRuns(1);
    publish(7, 8); // the same message id again, as a redelivery after a lost ack brings it
    publish(8, 9);
    awaitRuns(2);
    Thread.sleep(1000);
    assertThat(runsPerN())
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "7/m-7/orders/" + queue, 1L,
                    "8/m-8/orders/" + queue, 1L)));
    try (var c = factory().newConnection();
        var ch = c.createChannel()) {
      assertThat(ch.messageCount(queue)).as("every message acknowledged").isZero();
    }
  }

  @Test
  void a_batch_trigger_passes_up_to_max_batch_messages_to_one_run() throws Exception {
    flow(
        """
        - id: orders
          type: rabbitmq
          connection: events
          queue: %s
          maxBatch: 50
          maxWait: 3s
          inputs: {n: "{{ trigger.count }}:{{ trigger.messages[0].json.n }}"}
        """
            .formatted(queue));
    publish(0, 120);
    start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() ->
            runsPerN().keySet().stream().mapToInt(k -> Integer.parseInt(k.split(":")[0])).sum()
                >= 120);
    var counts = runsPerN().keySet().stream().map(k -> Integer.parseInt(k.split(":")[0])).toList();
    assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(120);
    assertThat(counts).allSatisfy(c -> assertThat(c).isBetween(1, 50));
    assertThat(counts).contains(50);
    assertThat(runsPerN().keySet()).contains("50:0");
  }

  @Test
  void a_message_whose_inputs_do_not_render_is_acknowledged_and_logged() throws Exception {
    flow(
        """
        - id: orders
          type: rabbitmq
          connection: events
          queue: %s
          inputs: {n: "{{ trigger.json.n.deeper }}"}
        """
            .formatted(queue));
    try (var log = new LogCapture()) {
      start();
      publish(1, 2);
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> log.text().contains("message m-1 starts no run and is acknowledged"));
      assertThat(log.text()).contains("rabbitmq trigger orders of queues/q");
    }
    try (var c = factory().newConnection();
        var ch = c.createChannel()) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ch.messageCount(queue) == 0);
    }
    assertThat(runCount()).isZero();
  }

  void publishBodies(Map<Integer, String> bodies) throws Exception {
    try (var c = factory().newConnection();
        var ch = c.createChannel()) {
      ch.confirmSelect();
      for (var e : new TreeMap<>(bodies).entrySet()) {
        var props = new AMQP.BasicProperties.Builder().messageId("m-" + e.getKey()).build();
        ch.basicPublish("", queue, props, e.getValue().getBytes(StandardCharsets.UTF_8));
      }
      ch.waitForConfirmsOrDie(30_000);
    }
  }

  /** Every fifth message has no {@code n.deeper}: its inputs do not render. */
  Map<Integer, String> someBad(int count) {
    var bodies = new TreeMap<Integer, String>();
    for (int i = 0; i < count; i++) {
      bodies.put(i, i % 5 == 0 ? "{\"n\": " + i + "}" : "{\"n\": {\"deeper\": " + i + "}}");
    }
    return bodies;
  }

  static final String DEAD_LETTERED =
      """
      - id: orders
        type: rabbitmq
        connection: events
        queue: %s
        deadLetter: %s
        inputs: {n: "{{ trigger.json.n.deeper }}"}
      """;

  java.util.List<dev.weir.store.DeadLetterRecord> batches() {
    return fx.server.store().deadLetters().list("queues", "q", null, 100);
  }

  java.util.List<String> letters() throws Exception {
    var out = new ArrayList<String>();
    for (var b : batches()) {
      out.addAll(Files.readAllLines(Path.of(b.location())));
    }
    return out;
  }

  @Test
  void messages_whose_run_cannot_start_go_to_the_dead_letters_once_and_the_rest_start_runs()
      throws Exception {
    flow(DEAD_LETTERED.formatted(queue, "dead/"));
    start();
    // a crash after the first batch's letters and runs are stored, before its acknowledgement:
    // the batch comes back and neither its runs nor its letters are doubled
    var batches = new AtomicInteger();
    fx.server
        .triggers()
        .queues()
        .beforeAck(() -> {
          if (batches.incrementAndGet() == 1) {
            throw new IllegalStateException("simulated crash before the ack");
          }
        });
    publishBodies(someBad(20));
    awaitRuns(16);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> batches().stream().mapToLong(b -> b.letters()).sum() == 4);
    Thread.sleep(1000);
    assertThat(runsPerN()).hasSize(16).doesNotContainKeys("0", "5", "10", "15");
    var all = letters();
    assertThat(all).hasSize(4);
    assertThat(batches.get()).isGreaterThan(1);
    assertThat(String.join("\n", all))
        .contains("\"messageId\":\"m-0\"", "\"messageId\":\"m-15\"")
        .contains("\"body\":\"{\\\"n\\\": 5}\"")
        .contains("\"source\":\"" + queue + "\"")
        .contains("\"run\":null", "\"task\":\"trigger:orders\"");
    var b = batches().get(0);
    assertThat(b.runId()).isNull();
    assertThat(b.taskId()).isEqualTo("trigger:orders");
    assertThat(b.taskType()).isEqualTo("queue.rabbitmq");
    assertThat(b.firstReason()).contains("deeper");
    assertThat(b.location()).startsWith(dir.resolve("flows/q/dead/no-run").toString());
    try (var c = factory().newConnection();
        var ch = c.createChannel()) {
      assertThat(ch.messageCount(queue)).as("every message acknowledged").isZero();
    }
  }

  @Test
  void a_message_set_aside_and_redelivered_in_another_batch_is_kept_once() throws Exception {
    flow(
        """
        - id: orders
          type: rabbitmq
          connection: events
          queue: %s
          key: "{{ trigger.json.id }}"
          deadLetter: dead/
          inputs: {n: "{{ trigger.json.id }}"}
        """
            .formatted(queue));
    start();
    // the first batch (m-0 alone) is set aside, then lost before its ack; by the time it comes
    // back two more messages wait behind it, so it is redelivered in another batch
    var batches = new AtomicInteger();
    fx.server
        .triggers()
        .queues()
        .beforeAck(() -> {
          if (batches.incrementAndGet() == 1) {
            try {
              publishBodies(Map.of(1, "still not JSON", 2, "{\"id\": 2}"));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            throw new IllegalStateException("simulated crash before the ack");
          }
        });
    publishBodies(Map.of(0, "not JSON"));
    awaitRuns(1);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> batches().stream().mapToLong(b -> b.letters()).sum() >= 2);
    Thread.sleep(1000);
    var all = letters();
    assertThat(all.stream().filter(l -> l.contains("\"messageId\":\"m-0\"")))
        .as("m-0's letters in %s", all)
        .hasSize(1);
    assertThat(all.stream().filter(l -> l.contains("\"messageId\":\"m-1\""))).hasSize(1);
    assertThat(all).hasSize(2);
    assertThat(batches.get()).isGreaterThan(1);
    assertThat(runsPerN()).containsOnlyKeys("2");
    try (var c = factory().newConnection();
        var ch = c.createChannel()) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ch.messageCount(queue) == 0);
    }
  }

  @Test
  void binary_messages_without_an_id_that_decode_alike_are_each_set_aside() throws Exception {
    flow(
        """
        - id: orders
          type: rabbitmq
          connection: events
          queue: %s
          key: "{{ trigger.json.id }}"
          deadLetter: dead/
        """
            .formatted(queue));
    try (var log = new LogCapture();
        var c = factory().newConnection();
        var ch = c.createChannel()) {
      start();
      ch.confirmSelect();
      // invalid UTF-8 both: each decodes to U+FFFD U+0001, yet they are two messages
      for (byte[] body : new byte[][] {{(byte) 0xFF, 1}, {(byte) 0xFE, 1}}) {
        ch.basicPublish("", queue, new AMQP.BasicProperties.Builder().build(), body);
      }
      ch.waitForConfirmsOrDie(30_000);
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> batches().stream().mapToLong(b -> b.letters()).sum() >= 2);
      // the first again, byte for byte: nothing tells it from a redelivery, and the log says so
      ch.basicPublish("", queue, null, new byte[] {(byte) 0xFF, 1});
      ch.waitForConfirmsOrDie(30_000);
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> log.text().contains("acknowledged as a redelivery"));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ch.messageCount(queue) == 0);
      assertThat(log.text())
          .contains( // at INFO or above: the capture takes no DEBUG line
              "rabbitmq trigger orders of queues/q: a message whose key does not render (no"
                  + " message id, 2 bytes from "
                  + queue
                  + ") was acknowledged as a redelivery of one set aside before (fire key"
                  + " unkeyed:sha256:");
    }
    assertThat(letters()).hasSize(2);
  }

  @Test
  void a_batch_is_looked_up_at_once_and_old_queue_fires_are_forgotten_but_schedule_slots_kept()
      throws Exception {
    flow(ONE_PER_MESSAGE.formatted(queue));
    start();
    var store = fx.server.serverStore();
    var now = java.time.Instant.now();
    var old = now.minus(QueueTriggers.FIRE_RETENTION).minusSeconds(60);
    var keys = new ArrayList<String>();
    for (int i = 0; i < 1200; i++) { // more than one IN (…) of keys
      keys.add("k-" + i);
      store.markFired("queues", "q", "orders", "k-" + i, now);
    }
    keys.add("never");
    assertThat(store.queueFires().firedAmong("queues", "q", "orders", keys))
        .hasSize(1200)
        .doesNotContain("never");

    // old fires are forgotten (the server's own sweep, which runs at its start, may take some
    // first), recent ones and a schedule's slot are kept
    var olds = new ArrayList<String>();
    for (int i = 0; i < 600; i++) {
      olds.add("old-" + i);
      store.markFired("queues", "q", "orders", "old-" + i, old);
    }
    store.markFired("queues", "q", "daily", "2026-01-01T05:00:00Z", old); // a schedule's slot
    assertThat(fx.server.triggers().queues().forgetOldFires()).isBetween(0, 600);
    assertThat(store.queueFires().firedAmong("queues", "q", "orders", olds)).isEmpty();
    assertThat(store.queueFires().firedAmong("queues", "q", "orders", keys)).hasSize(1200);
    assertThat(store.hasFired("queues", "q", "daily", "2026-01-01T05:00:00Z")).isTrue();
  }

  @Test
  void a_dead_letter_that_cannot_be_stored_leaves_its_message_unacknowledged_until_it_can()
      throws Exception {
    flow(DEAD_LETTERED.formatted(queue, "dead/"));
    Path blocker = fx.flowsDir.resolve("q/dead");
    Files.createDirectories(blocker.getParent());
    Files.writeString(blocker, "a file where the dead-letter directory should be");
    try (var log = new LogCapture()) {
      start();
      publishBodies(Map.of(0, "{\"n\": 0}"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> log.text().contains("cannot keep 1 message(s) that start no run"));
      assertThat(log.text()).contains("they are not acknowledged and come back");
      assertThat(batches()).isEmpty();
      Files.delete(blocker); // the disk is writable again: the message comes back and is kept
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> batches().stream().mapToLong(b -> b.letters()).sum() == 1);
    }
    try (var c = factory().newConnection();
        var ch = c.createChannel()) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ch.messageCount(queue) == 0);
    }
    assertThat(runCount()).isZero();
  }

  @Test
  void a_refused_broker_password_is_logged_once_and_never_shown() throws Exception {
    flow(ONE_PER_MESSAGE.formatted(queue));
    try (var log = new LogCapture()) {
      TriggerServer.start(fx, Map.of("WEIR_SECRET_RABBIT_PASSWORD", "wr0ng-Pa55word"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> log.text().contains("cannot consume " + queue));
      Thread.sleep(2500); // a few more attempts with backoff
      String text = log.text();
      assertThat(text).contains("rabbitmq connection 'events' (amqp://127.0.0.1:5672/%2f)");
      assertThat(text).doesNotContain("wr0ng-Pa55word");
      assertThat(text.split("cannot consume " + queue, -1)).hasSize(2); // once per outage
    }
  }

  @Test
  void a_deleted_queue_is_noticed_and_consumed_again_once_it_is_back() throws Exception {
    flow(ONE_PER_MESSAGE.formatted(queue));
    try (var log = new LogCapture()) {
      start();
      publish(0, 1);
      awaitRuns(1);
      try (var c = factory().newConnection();
          var ch = c.createChannel()) {
        ch.queueDelete(queue); // RabbitMQ cancels the consumer; its channel stays open
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> log.text().contains("RabbitMQ cancelled the consumer of queue '" + queue));
      try (var c = factory().newConnection();
          var ch = c.createChannel()) {
        ch.queueDeclare(queue, true, false, false, null);
      }
      publish(1, 2);
      awaitRuns(2);
      assertThat(log.text()).contains("consuming " + queue + " again");
    }
    assertThat(runsPerN()).containsOnlyKeys("0", "1");
  }

  @Test
  void a_connection_changed_in_weir_yaml_restarts_the_consumer_with_it() throws Exception {
    flow(ONE_PER_MESSAGE.formatted(queue));
    Path weirYaml = dir.resolve("weir.yaml");
    String good = Files.readString(weirYaml);
    try (var log = new LogCapture()) {
      start();
      publish(0, 1);
      awaitRuns(1);
      // a password the broker refuses: only a consumer that reconnected with it can notice
      Files.writeString(
          weirYaml, good.replace("\"{{ secret('RABBIT_PASSWORD') }}\"", "not-the-password"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> log.text().contains("connection 'events' changed in weir.yaml"));
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> log.text().contains("cannot consume " + queue));
      assertThat(log.text()).doesNotContain("not-the-password");
      Files.writeString(weirYaml, good);
      publish(1, 2);
      awaitRuns(2);
    }
    assertThat(runsPerN()).containsOnlyKeys("0", "1");
  }

  @Test
  void a_flow_with_a_concurrency_limit_queues_one_run_per_message() throws Exception {
    flow("concurrency: {limit: 1, onLimit: queue}\n", ONE_PER_MESSAGE.formatted(queue));
    start();
    publish(0, 5);
    awaitRuns(5);
    publish(2, 3); // again: no second run
    Thread.sleep(1500);
    assertThat(runsPerN()).containsOnlyKeys("0", "1", "2", "3", "4");
    assertThat(runsPerN().values()).containsOnly(1L);
  }

  @Test
  void a_disabled_flow_stops_consuming_and_an_enabled_one_picks_up_what_waited() throws Exception {
    flow(ONE_PER_MESSAGE.formatted(queue));
    start();
    var queues = fx.server.triggers().queues();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queues.consuming() == 1);
    assertThat(fx.post("/flows/queues/q/disable", "").status()).isLessThan(300);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queues.consuming() == 0);
    publish(0, 3);
    Thread.sleep(1500);
    assertThat(runCount()).isZero();
    assertThat(fx.post("/flows/queues/q/enable", "").status()).isLessThan(300);
    awaitRuns(3);
    assertThat(runsPerN()).containsOnlyKeys("0", "1", "2");
  }

  @Test
  void a_trigger_on_a_connection_of_another_type_says_which_type_it_needs() throws Exception {
    flow(
        """
        - id: orders
          type: nats
          connection: events
          subject: orders.created
          stream: ORDERS
        """);
    try (var log = new LogCapture()) {
      start();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() ->
              log.text()
                  .contains(
                      "connection 'events' is a rabbitmq connection; a nats trigger needs a"
                          + " `type: nats` connection in weir.yaml"));
    }
  }
}
