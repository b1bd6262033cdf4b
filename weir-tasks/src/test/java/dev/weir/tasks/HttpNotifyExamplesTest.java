package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.task.TaskResult;
import dev.weir.tasks.Examples.Run;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of the task types over HTTP and SMTP: http.extract and wait.http against a small
 * local API, and notify.slack, notify.webhook, notify.pagerduty and notify.email against local
 * receivers.
 */
class HttpNotifyExamplesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Examples examples;

  @BeforeEach
  void copyExamples() throws Exception {
    examples = Examples.copiedTo(dir);
  }

  @Test
  void http_extract_example_pages_through_a_local_api() throws Exception {
    try (var api = new ExampleApi()) {
      Run run =
          examples.run(
              "http.extract.yaml",
              Map.of("api", api.url() + "/api"),
              Map.of("SHOP_TOKEN", ExampleApi.TOKEN));
      TaskResult orders = run.results().get("orders_api");
      assertThat(orders.outputs())
          .containsEntry("rows", 5L)
          .containsEntry("pages", 3L)
          .containsEntry("requests", 3L);
      assertThat(orders.dataset().schema().stream().map(c -> c.name() + " " + c.type()))
          .containsExactly(
              "id BIGINT",
              "customer_id BIGINT",
              "amount DECIMAL(10,2)",
              "ordered_at TIMESTAMP",
              "tags JSON");
    }
  }

  @Test
  void wait_http_example_sees_the_export_ready() throws Exception {
    try (var api = new ExampleApi()) {
      Run run =
          examples.run(
              "wait.http.yaml",
              Map.of("api", api.url() + "/api"),
              Map.of("SHOP_TOKEN", ExampleApi.TOKEN));
      assertThat(run.results().get("export_ready").outputs())
          .containsEntry("status", 200)
          .containsEntry("value", "ready");
      assertThatThrownBy(() ->
              examples.run(
                  "wait.http.yaml",
                  Map.of("api", api.url() + "/api", "day", "2026-11-21"),
                  Map.of("SHOP_TOKEN", ExampleApi.TOKEN)))
          .isInstanceOf(dev.weir.task.Reschedule.class);
    }
  }

  @Test
  void notify_slack_example_posts_a_slack_message() throws Exception {
    try (var inbox = new Inbox()) {
      Run run =
          examples.run("notify.slack.yaml", Map.of(), Map.of("SLACK_URL", inbox.url("/slack")));
      assertThat(run.results().get("tell_the_team").outputs()).containsEntry("status", 202);
      var msg = JSON.readTree(inbox.posts.get(0).body());
      assertThat(msg.path("text").asText())
          .isEqualTo("Nightly orders are in the warehouse :white_check_mark:");
      assertThat(msg.path("blocks").toString()).contains("test.test_flow").contains("run-1");
    }
  }

  @Test
  void notify_webhook_example_signs_its_json() throws Exception {
    try (var inbox = new Inbox()) {
      examples.run(
          "notify.webhook.yaml", Map.of("hook", inbox.url("/etl")), Map.of("HOOK_KEY", "k3y-123"));
      assertThat(inbox.posts).hasSize(2);
      Inbox.Post signed = inbox.posts.get(0);
      assertThat(
              new dev.weir.testing.StandardWebhooksVerifier("k3y-123")
                  .refusal(
                      signed.header("webhook-id"),
                      signed.header("webhook-timestamp"),
                      signed.header("webhook-signature"),
                      signed.body(),
                      java.time.Instant.now()))
          .isNull();
      assertThat(JSON.readTree(signed.body()).path("detail").asText()).isEqualTo("orders loaded");
      Inbox.Post custom = inbox.posts.get(1);
      assertThat(custom.body()).isEqualTo("{\"dataset\":\"orders\",\"status\":\"ready\"}");
      assertThat(custom.header("X-Team")).isEqualTo("data");
      assertThat(custom.header("webhook-signature")).isNull();
    }
  }

  @Test
  void notify_pagerduty_example_triggers_and_resolves_one_incident() throws Exception {
    try (var inbox = new Inbox()) {
      examples.run(
          "notify.pagerduty.yaml",
          Map.of("pagerduty", inbox.url("/v2/enqueue")),
          Map.of("PD_KEY", "rk"));
      var trigger = JSON.readTree(inbox.posts.get(0).body());
      var resolve = JSON.readTree(inbox.posts.get(1).body());
      assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
      assertThat(trigger.at("/payload/severity").asText()).isEqualTo("warning");
      assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
      assertThat(resolve.path("dedup_key").asText())
          .isEqualTo(trigger.path("dedup_key").asText())
          .isEqualTo("weir/test/test_flow");
    }
  }

  @Test
  void notify_email_example_sends_a_mail() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var mail =
        new com.icegreen.greenmail.util.GreenMail(
            new com.icegreen.greenmail.util.ServerSetup(port, "127.0.0.1", "smtp"));
    mail.start();
    try {
      mail.setUser("weir@example.com", "weir", "mail-pass");
      examples.run(
          "notify.email.yaml",
          Map.of("smtpHost", "127.0.0.1", "smtpPort", String.valueOf(port)),
          Map.of("SMTP_PASSWORD", "mail-pass"));
      var received = mail.getReceivedMessages();
      assertThat(received).hasSize(1);
      assertThat(received[0].getSubject()).isEqualTo("Nightly orders loaded");
      assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(received[0]))
          .contains("The nightly orders load finished.");
    } finally {
      mail.stop();
    }
  }
}
