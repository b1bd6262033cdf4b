package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.server.ServerFixture;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue triggers while their broker goes away and comes back: each test starts its own NATS or
 * Mosquitto on a free port, stops it in the middle of consumption and starts it again.
 */
class QueueBrokerRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MESSAGES = 300;
  private static final int MQTT_MESSAGES = 1000;

  @TempDir Path dir;
  ServerFixture fx;
  Process broker;
  List<String> command;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
    if (broker != null) {
      broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws Exception {
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  void startBroker(int port) throws Exception {
    broker =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("broker.log").toFile())
            .start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> QueueTriggerTest.reachable(port));
  }

  /** Stops the broker as an operator would (SIGTERM), so that it keeps what it persisted. */
  void stopBroker() throws Exception {
    broker.destroy();
    assertThat(broker.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  void flow(String weirYaml, String trigger) throws Exception {
    Files.writeString(dir.resolve("weir.yaml"), weirYaml);
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
        """
            + trigger.indent(2));
  }

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
        .pollInterval(Duration.ofMillis(100))
        .until(() -> runCount() >= n);
  }

  /** Two latches: the consumer holds a stored, unacknowledged batch; the broker is stopped. */
  record Hold(
      java.util.concurrent.CountDownLatch holding, java.util.concurrent.CountDownLatch stopped) {}

  /**
   * Makes the consumer wait, at its {@code afterBatches}-th batch, between storing the runs and
   * acknowledging the messages: the hardest moment to lose the broker, as the batch comes back
   * after the restart and must start nothing.
   */
  Hold hold(int afterBatches) {
    var h =
        new Hold(
            new java.util.concurrent.CountDownLatch(1), new java.util.concurrent.CountDownLatch(1));
    var batches = new java.util.concurrent.atomic.AtomicInteger();
    fx.server
        .triggers()
        .queues()
        .beforeAck(() -> {
          if (batches.incrementAndGet() == afterBatches) {
            h.holding().countDown();
            try {
              h.stopped().await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    return h;
  }

  /** Stops the broker while the consumer holds a batch, then starts it again. */
  void restartMidway(LogCapture log, int port, int total, Hold h) throws Exception {
    var holding = h.holding();
    var stopped = h.stopped();
    assertThat(holding.await(60, TimeUnit.SECONDS)).as("a batch was stored").isTrue();
    stopBroker();
    stopped.countDown();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> log.text().contains("cannot consume"));
    long during = runCount();
    Thread.sleep(1500); // a few reconnect attempts against nothing
    startBroker(port);
    try {
      awaitRuns(total);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          runCount()
              + " of "
              + total
              + " runs; "
              + during
              + " when the broker stopped; log:\n"
              + String.join(
                  "\n", log.text().lines().filter(l -> !l.contains("started run")).toList()),
          e);
    }
    Thread.sleep(1500); // what more would come, if anything were doubled
    Map<String, Long> perN = runsPerN();
    assertThat(during).as("runs when the broker stopped").isLessThan(total);
    assertThat(perN).hasSize(total);
    assertThat(perN.values()).containsOnly(1L);
    String text = log.text();
    assertThat(text.split("cannot consume", -1)).as(text).hasSize(2); // once per outage
    assertThat(text).containsPattern("consuming \\S+ again");
  }

  @Test
  void nats_restart_while_consuming_loses_and_doubles_nothing() throws Exception {
    Path bin = Path.of("/usr/sbin/nats-server");
    Assumptions.assumeTrue(Files.isExecutable(bin), "nats-server not installed; skipped");
    int port = freePort();
    String url = "nats://127.0.0.1:" + port;
    command =
        List.of(
            bin.toString(),
            "-a",
            "127.0.0.1",
            "-p",
            "" + port,
            "-js",
            "-sd",
            dir.resolve("nats").toString());
    startBroker(port);
    try (var c = Nats.connect(url)) {
      c.jetStreamManagement()
          .addStream(
              StreamConfiguration.builder()
                  .name("ORDERS")
                  .subjects("orders.>")
                  .storageType(StorageType.File)
                  .build());
      var js = c.jetStream();
      for (int i = 0; i < MESSAGES; i++) {
        js.publish("orders.created", ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8));
      }
    }
    flow(
        "connections:\n  bus:\n    type: nats\n    url: " + url + "\n",
        """
        - id: created
          type: nats
          connection: bus
          subject: orders.created
          stream: ORDERS
          inputs: {n: "{{ trigger.json.n }}"}
        """);
    try (var log = new LogCapture()) {
      fx.start();
      Hold h = hold(2); // a poll takes up to 100: two hold at most 200 of the 300
      restartMidway(log, port, MESSAGES, h);
    }
  }

  @Test
  void mqtt_restart_while_consuming_loses_and_doubles_nothing() throws Exception {
    Path bin = Path.of("/usr/sbin/mosquitto");
    Assumptions.assumeTrue(Files.isExecutable(bin), "mosquitto not installed; skipped");
    int port = freePort();
    String url = "tcp://127.0.0.1:" + port;
    Path data = Files.createDirectories(dir.resolve("mosquitto"));
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        "listener "
            + port
            + " 127.0.0.1\nallow_anonymous true\nmax_queued_messages 10000\npersistence true"
            // started as root, mosquitto drops to its own user, which cannot write our folder
            + "\nuser root"
            + "\npersistence_location "
            + data
            + "/\n");
    command = List.of(bin.toString(), "-c", conf.toString());
    startBroker(port);
    flow(
        "connections:\n  sensors:\n    type: mqtt\n    url: " + url + "\n",
        """
        - id: readings
          type: mqtt
          connection: sensors
          topic: plant/+/readings
          key: "{{ trigger.json.n }}"
          inputs: {n: "{{ trigger.json.n }}"}
        """);
    try (var log = new LogCapture()) {
      fx.start();
      Hold h = hold(3);
      // the trigger's persistent session exists once it consumes; what is published then waits
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> log.text().contains("consuming plant/+/readings"));
      var publisher = new MqttClient(url, "test-publisher", new MemoryPersistence());
      var options = new MqttConnectOptions();
      options.setMaxInflight(1000);
      publisher.connect(options);
      for (int i = 0; i < MQTT_MESSAGES; i++) {
        var m = new MqttMessage(("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        publisher.publish("plant/line1/readings", m);
      }
      publisher.disconnect();
      publisher.close();
      restartMidway(log, port, MQTT_MESSAGES, h);
    }
  }
}
