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
import dev.weir.testing.TestTasks;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;

/**
 * A real server with flows that alert a real HTTP receiver and GreenMail, driven over its API, for
 * the alert tests ({@link AlertChannelsTest}, {@link AlertEventsTest}, {@link AlertDeliveryTest}).
 * A canary secret is in every flow; it must never show in a payload, a mail or a log line, which
 * {@link #assertCanaryNowhere()} checks. Made before a test, closed after it.
 */
final class AlertServer implements AutoCloseable {
  static final String CANARY = "canary-7f3a9c1e5b";
  static final String HOOK_KEY = "hook-signing-key-123";

  final SettableClock clock = SettableClock.at("2026-11-21T06:00:00Z");
  final ServerFixture fx;
  final Receiver receiver;
  final GreenMail mail;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger weirLogs = (Logger) LoggerFactory.getLogger("dev.weir");
  private long runsEnded;

  AlertServer(Path dir) throws Exception {
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

  /** Starts the server (again), an alert delivered in up to {@code attempts} tries. */
  void startServer(int attempts) {
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

  @Override
  public void close() {
    fx.close();
    receiver.close();
    mail.stop();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    weirLogs.detachAppender(logs);
    weirLogs.setAdditive(true);
    weirLogs.setLevel(null);
    TestTasks.reset();
  }

  /** shop.orders: test.ok, then a test.fail whose message holds the canary; then {@code alerts}. */
  static String failingFlow(String alerts) {
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

  /** Slack on failed and recovered (the canary in its URL), e-mail on failed. */
  String slackAndEmail() {
    return """
      - on: [failed, recovered]
        slack: {webhook: "%s?token={{ secret('CANARY') }}"}
      - on: [failed]
        email: {to: [oncall@example.com]}
    """
        .formatted(receiver.url("/slack"));
  }

  /** Runs shop.{@code flow} to its end, and waits for the alerts it sends. */
  JsonNode run(String flow) {
    String id = fx.post("/flows/shop/" + flow + "/runs", "{}").json().path("runId").asText();
    JsonNode run = fx.awaitRun(id);
    runsEnded++;
    awaitAlerts();
    return run;
  }

  void awaitAlerts() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> fx.server.alerts().runEndsDecided() >= runsEnded && fx.server.alerts().idle());
  }

  /** Every line logged since the start. */
  List<String> messages() {
    var out = new ArrayList<String>();
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      out.add(e.getFormattedMessage());
    }
    return out;
  }

  void assertCanaryNowhere() throws Exception {
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
