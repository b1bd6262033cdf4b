package dev.weir.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.weir.server.ServerFixture;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirServer;
import dev.weir.tasks.notify.Smtp;
import dev.weir.testing.SettableClock;
import dev.weir.testing.StandardWebhooksVerifier;
import dev.weir.testing.TestTasks;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A real server with flows that alert a real HTTP receiver and GreenMail, driven over its API. A
 * canary secret is in every flow; it must never show in a payload, a mail or a log line.
 */
class AlertsTest {
  static final String CANARY = "canary-7f3a9c1e5b";
  static final String HOOK_KEY = "hook-signing-key-123";

  @TempDir Path dir;
  private final SettableClock clock = SettableClock.at("2026-11-21T06:00:00Z");
  private ServerFixture fx;
  private Receiver receiver;
  private GreenMail mail;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger weirLogs = (Logger) LoggerFactory.getLogger("dev.weir");
  private long runsEnded;

  @BeforeEach
  void start() throws Exception {
    TestTasks.reset();
    receiver = new Receiver();
    int smtpPort;
    try (var s = new ServerSocket(0)) {
      smtpPort = s.getLocalPort();
    }
    mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    mail.start();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    // every line Weir logs, at every level, is checked for the canary (and kept off the console)
    weirLogs.setLevel(ch.qos.logback.classic.Level.DEBUG);
    weirLogs.setAdditive(false);
    weirLogs.addAppender(logs);
    fx = new ServerFixture(dir, clock);
  }

  private void startServer(int attempts) {
    runsEnded = 0;
    ServerOptions o = fx.options();
    var settings =
        new AlertSettings(
            "https://weir.example.com/",
            Duration.ofMinutes(30),
            new Smtp("127.0.0.1", mail.getSmtp().getPort(), "weir@example.com", null, null, false),
            receiver.url("/pagerduty"),
            attempts,
            Duration.ofMillis(50),
            Duration.ofHours(1));
    fx.server =
        WeirServer.start(
            o.withEnvironment(
                    Map.of(
                        "WEIR_SECRET_CANARY", CANARY,
                        "WEIR_SECRET_HOOK_KEY", HOOK_KEY,
                        "WEIR_SECRET_PD_KEY", "pd-routing-key"),
                    null)
                .withAlerts(settings),
            t -> {});
  }

  @AfterEach
  void stop() {
    fx.close();
    receiver.close();
    mail.stop();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    weirLogs.detachAppender(logs);
    weirLogs.setAdditive(true);
    weirLogs.setLevel(null);
    TestTasks.reset();
  }

  private String failingFlow(String alerts) {
    return """
    id: orders
    namespace: shop
    tasks:
      - id: extract
        type: test.ok
      - id: load
        type: test.fail
        message: "disk full, token {{ secret('CANARY') }}"
    alerts:
    """
        + alerts;
  }

  private String slackAndEmail() {
    return """
      - on: [failed, recovered]
        slack: {webhook: "%s?token={{ secret('CANARY') }}"}
      - on: [failed]
        email: {to: [oncall@example.com]}
    """
        .formatted(receiver.url("/slack"));
  }

  private JsonNode run(String flow) {
    String id = fx.post("/flows/shop/" + flow + "/runs", "{}").json().path("runId").asText();
    JsonNode run = fx.awaitRun(id);
    runsEnded++;
    awaitAlerts();
    return run;
  }

  private void awaitAlerts() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> fx.server.alerts().runEndsDecided() >= runsEnded && fx.server.alerts().idle());
  }

  @Test
  void a_failing_flow_sends_one_slack_message_and_one_email_naming_the_failed_task_and_error()
      throws Exception {
    fx.writeFlow("orders.yaml", failingFlow(slackAndEmail()));
    startServer(3);

    JsonNode run = run("orders");

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
    assertCanaryNowhere();
  }

  @Test
  void a_recovery_resolves_the_pagerduty_incident_with_the_same_dedup_key() throws Exception {
    String alerts =
        """
          - on: [failed, recovered]
            pagerduty: {routingKey: "{{ secret('PD_KEY') }}", severity: critical}
        """;
    fx.writeFlow("orders.yaml", failingFlow(alerts));
    startServer(3);
    run("orders");
    fx.writeFlow("orders.yaml", failingFlow(alerts).replace("type: test.fail", "type: test.ok"));
    fx.server.watcher().scan();

    assertThat(run("orders").path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(run("orders").path("state").asText()).isEqualTo("SUCCEEDED");

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
    assertCanaryNowhere();
  }

  @Test
  void recovery_is_remembered_across_a_restart() throws Exception {
    String alerts =
        """
          - on: [recovered]
            webhook: {url: "%s"}
        """
            .formatted(receiver.url("/hook"));
    fx.writeFlow("orders.yaml", failingFlow(alerts));
    startServer(3);
    run("orders");
    fx.close();
    fx.writeFlow("orders.yaml", failingFlow(alerts).replace("type: test.fail", "type: test.ok"));
    startServer(3);

    run("orders");

    assertThat(receiver.to("/hook"))
        .extracting(r -> r.json().path("event").asText())
        .containsExactly("recovered");
  }

  @Test
  void an_sla_miss_alerts_while_the_run_is_still_running() throws Exception {
    fx.writeFlow(
        "slow.yaml",
        """
        id: slow
        namespace: shop
        sla: {maxDuration: 10m}
        tasks:
          - id: wait
            type: test.block
            latch: slow
        alerts:
          - on: [slaMissed]
            webhook: {url: "%s"}
        """
            .formatted(receiver.url("/hook")));
    startServer(3);
    String id = fx.post("/flows/shop/slow/runs", "{}").json().path("runId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.get("/runs/" + id).json().path("state").asText().equals("RUNNING"));

    clock.advance(Duration.ofMinutes(9));
    fx.server.alerts().checkSlas();
    awaitAlerts();
    assertThat(receiver.to("/hook")).isEmpty();

    clock.advance(Duration.ofMinutes(2));
    fx.server.alerts().checkSlas();
    fx.server.alerts().checkSlas();
    awaitAlerts();

    assertThat(receiver.to("/hook")).hasSize(1);
    JsonNode alert = receiver.to("/hook").get(0).json();
    assertThat(alert.path("event").asText()).isEqualTo("slaMissed");
    assertThat(alert.at("/run/state").asText()).isEqualTo("RUNNING");
    assertThat(alert.path("detail").asText()).contains("longer than its maxDuration of 10m");
    assertThat(fx.get("/runs/" + id).json().path("state").asText()).isEqualTo("RUNNING");
    TestTasks.open("slow");
    assertThat(fx.awaitRun(id).path("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void twenty_consecutive_failures_send_one_alert_per_throttle_window() throws Exception {
    fx.writeFlow("orders.yaml", failingFlow(slackAndEmail()));
    startServer(3);
    for (int i = 0; i < 20; i++) {
      run("orders");
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(receiver.to("/slack")).hasSize(1);
    assertThat(mail.getReceivedMessages()).hasSize(1);

    clock.advance(Duration.ofMinutes(11)); // 31 minutes after the first alert
    run("orders");

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
    startServer(3);

    JsonNode run = run("orders");

    assertThat(run.path("state").asText()).isEqualTo("FAILED");
    assertThat(run.path("error").asText()).doesNotContain("alert");
    assertThat(receiver.to("/hook")).hasSize(3);
    assertThat(receiver.to("/hook"))
        .extracting(Receiver.Request::body)
        .containsOnly(receiver.to("/hook").get(0).body());
    assertThat(messages()).anyMatch(m -> m.contains("delivered on try 3"));
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
    startServer(2);

    JsonNode run = run("ok");

    assertThat(run.path("state").asText()).isEqualTo("FAILED");
    assertThat(messages())
        .anyMatch(m -> m.contains("not delivered (try 1 of 2): the receiver cannot be reached"))
        .anyMatch(m -> m.contains("not delivered, giving up after 2 tries"));
    assertCanaryNowhere();
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
    startServer(3);

    run("orders");

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

  @Test
  void a_warning_of_a_quality_check_alerts_quality_warn() throws Exception {
    fx.writeFlow(
        "checked.yaml",
        """
        id: checked
        namespace: shop
        tasks:
          - id: rows
            type: sql.transform
            sql: SELECT * FROM (VALUES (1), (NULL)) t(id)
          - id: check
            type: quality.check
            dataset: rows
            checks:
              - notNull: [id]
                severity: warn
        alerts:
          - on: [qualityWarn]
            webhook: {url: "%s"}
        """
            .formatted(receiver.url("/hook")));
    startServer(3);

    assertThat(run("checked").path("state").asText()).isEqualTo("SUCCEEDED");

    assertThat(receiver.to("/hook")).hasSize(1);
    JsonNode alert = receiver.to("/hook").get(0).json();
    assertThat(alert.path("event").asText()).isEqualTo("qualityWarn");
    assertThat(alert.path("detail").asText()).startsWith("task check: check notNull");
  }

  @Test
  void a_task_that_fails_its_last_attempt_alerts_retries_exhausted() throws Exception {
    assertThat(
            retriesExhaustedTitle(
                """
                  - id: load
                    type: test.fail
                    retry: {attempts: 2, delay: 1ms}
                """))
        .isEqualTo("shop.orders: task load failed its last attempt");
  }

  @Test
  void a_forEach_item_task_that_fails_its_last_attempt_alerts_retries_exhausted() throws Exception {
    assertThat(
            retriesExhaustedTitle(
                """
                  - id: per_day
                    type: forEach
                    items: [mon]
                    tasks:
                      - id: load
                        type: test.fail
                        retry: {attempts: 2, delay: 1ms}
                """))
        .isEqualTo("shop.orders: task per_day[mon]/load failed its last attempt");
  }

  /**
   * Runs shop.orders with {@code tasks} (indented as list items under {@code tasks:}) and a webhook
   * on {@code retriesExhausted}: the title of the one alert it sends.
   */
  private String retriesExhaustedTitle(String tasks) throws Exception {
    fx.writeFlow(
        "orders.yaml",
        """
        id: orders
        namespace: shop
        tasks:
        """
            + tasks
            + """
            alerts:
              - on: [retriesExhausted]
                webhook: {url: "%s"}
            """
                .formatted(receiver.url("/hook")));
    startServer(3);

    run("orders");

    assertThat(receiver.to("/hook")).hasSize(1);
    return receiver.to("/hook").get(0).json().path("title").asText();
  }

  private List<String> messages() {
    var out = new ArrayList<String>();
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      out.add(e.getFormattedMessage());
    }
    return out;
  }

  private void assertCanaryNowhere() throws Exception {
    for (Receiver.Request r : receiver.requests) {
      assertThat(r.body()).doesNotContain(CANARY);
      assertThat(r.headers().toString()).doesNotContain(CANARY);
    }
    for (MimeMessage m : mail.getReceivedMessages()) {
      assertThat(GreenMailUtil.getWholeMessage(m)).doesNotContain(CANARY);
    }
    assertThat(messages()).noneMatch(m -> m.contains(CANARY));
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      // an exception without a message (a leftover thread's, say) cannot leak anything
      if (e.getThrowableProxy() != null && e.getThrowableProxy().getMessage() != null) {
        assertThat(e.getThrowableProxy().getMessage()).doesNotContain(CANARY);
      }
    }
    for (JsonNode run : fx.get("/runs").json().path("runs")) {
      assertThat(run.toString()).doesNotContain(CANARY);
    }
  }
}
