package dev.weir.server.alerts;

import static dev.weir.server.alerts.AlertServer.failingFlow;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.ServerFixture;
import dev.weir.testing.SettableClock;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which events alert, on a real server (see {@link AlertServer}): a recovery remembered across a
 * restart, an SLA missed while the run is still running, a quality check's warning, and a task
 * failing its last attempt.
 */
class AlertEventsTest {
  @TempDir Path dir;
  private AlertServer alerting;
  private SettableClock clock;
  private ServerFixture fx;
  private Receiver receiver;

  @BeforeEach
  void start() throws Exception {
    alerting = new AlertServer(dir);
    clock = alerting.clock;
    fx = alerting.fx;
    receiver = alerting.receiver;
  }

  @AfterEach
  void stop() {
    alerting.close();
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
    alerting.startServer(3);
    alerting.run("orders");
    fx.close();
    fx.writeFlow("orders.yaml", failingFlow(alerts).replace("type: test.fail", "type: test.ok"));
    alerting.startServer(3);

    alerting.run("orders");

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
    alerting.startServer(3);
    String id = fx.post("/flows/shop/slow/runs", "{}").json().path("runId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.get("/runs/" + id).json().path("state").asText().equals("RUNNING"));

    clock.advance(Duration.ofMinutes(9));
    fx.server.alerts().checkSlas();
    alerting.awaitAlerts();
    assertThat(receiver.to("/hook")).isEmpty();

    clock.advance(Duration.ofMinutes(2));
    fx.server.alerts().checkSlas();
    fx.server.alerts().checkSlas();
    alerting.awaitAlerts();

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
    alerting.startServer(3);

    assertThat(alerting.run("checked").path("state").asText()).isEqualTo("SUCCEEDED");

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
    alerting.startServer(3);

    alerting.run("orders");

    assertThat(receiver.to("/hook")).hasSize(1);
    return receiver.to("/hook").get(0).json().path("title").asText();
  }
}
