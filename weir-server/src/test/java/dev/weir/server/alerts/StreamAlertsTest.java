package dev.weir.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream flow's lag SLA and lost positions, alerted to a real HTTP receiver and metered. */
class StreamAlertsTest {
  @TempDir Path dir;
  private final SettableClock clock = SettableClock.at("2026-12-04T06:00:00Z");
  private ServerFixture fx;
  private Receiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new Receiver();
    fx = new ServerFixture(dir, clock);
  }

  @AfterEach
  void stop() {
    fx.close();
    receiver.close();
  }

  @Test
  void a_stream_past_its_lag_sla_alerts_once_per_episode_and_a_lost_position_alerts()
      throws Exception {
    fx.writeFlow(
        "orders.yaml",
        """
        id: orders_cdc
        namespace: shop
        sla: {lag: 1s}
        alerts:
          - on: [slaMissed, positionLost]
            webhook: {url: "%s"}
        tasks:
          - id: follow
            type: test.stream
            lagMs: 5000
            losePosition: true
        """
            .formatted(receiver.url("/hook")));
    fx.start();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests.size() >= 2);
    Thread.sleep(500); // ten more late batches: still one alert for this episode
    List<String> bodies = receiver.requests.stream().map(Receiver.Request::body).toList();
    assertThat(bodies).hasSize(2);
    assertThat(bodies)
        .anySatisfy(b ->
            assertThat(b)
                .contains("slaMissed")
                .contains("task follow applies changes 5.0s after their source commit")
                .contains("more than the SLA's lag of 1.0s"));
    assertThat(bodies)
        .anySatisfy(b ->
            assertThat(b).contains("positionLost").contains("replication slot weir_test is gone"));
    String metrics =
        fx.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + fx.server.port() + "/metrics"))
                    .header("Authorization", "Bearer " + ServerFixture.TOKEN)
                    .GET())
            .body();
    assertThat(metrics)
        .contains(
            "weir_stream_changes_total{flow=\"orders_cdc\",namespace=\"shop\",task=\"follow\"}")
        .contains(
            "weir_stream_lag_seconds_bucket{flow=\"orders_cdc\",namespace=\"shop\",task=\"follow\",le=\"10.0\"}")
        .contains(
            "weir_stream_positions_lost_total{action=\"resnapshot\",flow=\"orders_cdc\","
                + "namespace=\"shop\",task=\"follow\"} 1");
  }
}
