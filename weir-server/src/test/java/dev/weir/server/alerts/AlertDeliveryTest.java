package dev.weir.server.alerts;

import static dev.weir.server.alerts.AlertServer.failingFlow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.weir.server.ServerFixture;
import dev.weir.testing.SettableClock;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How alerts are delivered, on a real server (see {@link AlertServer}): throttled to one per
 * window, retried when the receiver answers 500, logged when it is down, and never affecting the
 * run.
 */
class AlertDeliveryTest {
  @TempDir Path dir;
  private AlertServer alerting;
  private SettableClock clock;
  private ServerFixture fx;
  private Receiver receiver;
  private GreenMail mail;

  @BeforeEach
  void start() throws Exception {
    alerting = new AlertServer(dir);
    clock = alerting.clock;
    fx = alerting.fx;
    receiver = alerting.receiver;
    mail = alerting.mail;
  }

  @AfterEach
  void stop() {
    alerting.close();
  }

  @Test
  void twenty_consecutive_failures_send_one_alert_per_throttle_window() throws Exception {
    fx.writeFlow("orders.yaml", failingFlow(alerting.slackAndEmail()));
    alerting.startServer(3);
    for (int i = 0; i < 20; i++) {
      alerting.run("orders");
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(receiver.to("/slack")).hasSize(1);
    assertThat(mail.getReceivedMessages()).hasSize(1);

    clock.advance(Duration.ofMinutes(11)); // 31 minutes after the first alert
    alerting.run("orders");

    assertThat(receiver.to("/slack")).hasSize(2);
    assertThat(mail.getReceivedMessages()).hasSize(2);
  }

  @Test
  void a_receiver_answering_500_twice_gets_the_alert_on_the_third_try_and_the_run_is_unaffected()
      throws Exception {
    receiver.answer(500, 500);
    fx.writeFlow(
        "orders.yaml",
        failingFlow(
            """
              - on: [failed]
                webhook: {url: "%s"}
            """
                .formatted(receiver.url("/hook"))));
    alerting.startServer(3);

    JsonNode run = alerting.run("orders");

    assertThat(run.path("state").asText()).isEqualTo("FAILED");
    assertThat(run.path("error").asText()).doesNotContain("alert");
    assertThat(receiver.to("/hook")).hasSize(3);
    assertThat(receiver.to("/hook"))
        .extracting(Receiver.Request::body)
        .containsOnly(receiver.to("/hook").get(0).body());
    assertThat(alerting.messages()).anyMatch(m -> m.contains("delivered on try 3"));
  }

  @Test
  void a_receiver_that_is_down_is_logged_and_the_run_is_unaffected() throws Exception {
    int closed;
    try (var s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    fx.writeFlow(
        "ok.yaml",
        """
        id: ok
        namespace: shop
        tasks:
          - id: a
            type: test.fail
        alerts:
          - on: [failed]
            webhook: {url: "http://127.0.0.1:%d/hook?token={{ secret('CANARY') }}"}
        """
            .formatted(closed));
    alerting.startServer(2);

    JsonNode run = alerting.run("ok");

    assertThat(run.path("state").asText()).isEqualTo("FAILED");
    assertThat(alerting.messages())
        .anyMatch(m -> m.contains("not delivered (try 1 of 2): the receiver cannot be reached"))
        .anyMatch(m -> m.contains("not delivered, giving up after 2 tries"));
    alerting.assertCanaryNowhere();
  }
}
