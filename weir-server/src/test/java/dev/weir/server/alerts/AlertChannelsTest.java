package dev.weir.server.alerts;

import static dev.weir.server.alerts.AlertServer.HOOK_KEY;
import static dev.weir.server.alerts.AlertServer.failingFlow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.weir.server.ServerFixture;
import dev.weir.testing.SettableClock;
import dev.weir.testing.StandardWebhooksVerifier;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each channel sends when a flow fails or recovers, on a real server (see {@link
 * AlertServer}): Slack and e-mail naming the failed task and its error, PagerDuty triggering and
 * resolving one incident, and webhooks signed as Standard Webhooks.
 */
class AlertChannelsTest {
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
  void a_failing_flow_sends_one_slack_message_and_one_email_naming_the_failed_task_and_error()
      throws Exception {
    fx.writeFlow("orders.yaml", failingFlow(alerting.slackAndEmail()));
    alerting.startServer(3);

    JsonNode run = alerting.run("orders");

    assertThat(run.path("state").asText()).isEqualTo("FAILED");
    List<Receiver.Request> slack = receiver.to("/slack");
    assertThat(slack).hasSize(1);
    JsonNode msg = slack.get(0).json();
    assertThat(msg.path("text").asText())
        .startsWith("shop.orders failed at task load")
        .contains("https://weir.example.com/api/v1/runs/" + run.path("id").asText());
    assertThat(msg.path("blocks").toString()).contains("disk full, token ******").contains("load");
    mail.waitForIncomingEmail(5000, 1);
    MimeMessage[] mails = mail.getReceivedMessages();
    assertThat(mails).hasSize(1);
    assertThat(mails[0].getSubject()).isEqualTo("[Weir] shop.orders failed at task load");
    assertThat(mails[0].getAllRecipients()[0].toString()).isEqualTo("oncall@example.com");
    assertThat(GreenMailUtil.getBody(mails[0]))
        .contains("Task:  load")
        .contains("disk full, token ******")
        .contains(run.path("id").asText());
    alerting.assertCanaryNowhere();
  }

  @Test
  void a_recovery_resolves_the_pagerduty_incident_with_the_same_dedup_key() throws Exception {
    String alerts =
        """
          - on: [failed, recovered]
            pagerduty: {routingKey: "{{ secret('PD_KEY') }}", severity: critical}
        """;
    fx.writeFlow("orders.yaml", failingFlow(alerts));
    alerting.startServer(3);
    alerting.run("orders");
    fx.writeFlow("orders.yaml", failingFlow(alerts).replace("type: test.fail", "type: test.ok"));
    fx.server.watcher().scan();

    assertThat(alerting.run("orders").path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(alerting.run("orders").path("state").asText()).isEqualTo("SUCCEEDED");

    List<JsonNode> events = receiver.to("/pagerduty").stream().map(Receiver.Request::json).toList();
    assertThat(events)
        .extracting(e -> e.path("event_action").asText())
        .containsExactly("trigger", "resolve");
    assertThat(events)
        .extracting(e -> e.path("dedup_key").asText())
        .containsOnly("weir/shop/orders");
    assertThat(events.get(0).path("routing_key").asText()).isEqualTo("pd-routing-key");
    assertThat(events.get(0).at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(events.get(0).at("/payload/summary").asText())
        .isEqualTo("shop.orders failed at task load");
    alerting.assertCanaryNowhere();
  }

  @Test
  void webhook_alerts_are_signed_as_standard_webhooks_over_id_timestamp_and_body()
      throws Exception {
    fx.writeFlow(
        "orders.yaml",
        failingFlow(
            """
              - on: [failed]
                webhook: {url: "%s", signingSecret: "{{ secret('HOOK_KEY') }}"}
            """
                .formatted(receiver.url("/hook"))));
    alerting.startServer(3);

    alerting.run("orders");

    Receiver.Request r = receiver.to("/hook").get(0);
    var verifier = new StandardWebhooksVerifier(HOOK_KEY);
    String ts = r.header("webhook-timestamp");
    assertThat(ts).isEqualTo(String.valueOf(clock.instant().getEpochSecond()));
    assertThat(r.header("webhook-signature")).matches("v1,[A-Za-z0-9+/]{43}=");
    assertThat(
            verifier.refusal(
                r.header("webhook-id"),
                ts,
                r.header("webhook-signature"),
                r.body(),
                clock.instant()))
        .isNull();
    // a replay: the old timestamp is refused, a fresh one breaks the signature
    var later = clock.instant().plus(java.time.Duration.ofHours(1));
    assertThat(
            verifier.refusal(
                r.header("webhook-id"), ts, r.header("webhook-signature"), r.body(), later))
        .isEqualTo("timestamp outside tolerance");
    assertThat(
            verifier.refusal(
                r.header("webhook-id"),
                String.valueOf(later.getEpochSecond()),
                r.header("webhook-signature"),
                r.body(),
                later))
        .isEqualTo("no matching signature");
    assertThat(r.json().path("failedTask").asText()).isEqualTo("load");
    assertThat(r.body()).doesNotContain(HOOK_KEY);
  }
}
