package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.server.ServerOptions;
import dev.weir.server.alerts.AlertSettings;
import dev.weir.testing.SettableClock;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The datasets page and the overview's signals over plain HTTP: check strips and the row-count
 * trend against the anomaly baseline, freshness, quality warnings, SLA misses and the next schedule
 * fires, with every check detail masked and bad filters answered clearly.
 */
class QualityPagesTest {
  static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

  /** Orders whose count the anomaly check judges, and notes that carry a secret and a duplicate. */
  static final String ORDERS =
      """
      id: orders
      namespace: ui
      inputs:
        - {id: rows, type: int, default: 1000}
      triggers:
        - {id: morning, type: schedule, cron: "0 9 * * *", timezone: UTC}
        - {id: never, type: schedule, cron: "0 7 * * *", timezone: UTC, disabled: true}
      tasks:
        - id: orders
          type: sql.transform
          sql: SELECT range AS order_id FROM range({{ inputs.rows }})
        - id: notes
          type: sql.transform
          sql: SELECT 1 AS id, '{{ secret('CANARY') }}' AS note UNION ALL SELECT 1 AS id, 'x' AS note
        - id: check_orders
          type: quality.check
          dataset: orders
          checks:
            - rowCount: {min: 1}
            - anomaly: {maxChangePercent: 50, minHistory: 2}
              severity: warn
        - id: check_notes
          type: quality.check
          dataset: notes
          checks:
            - unique: [id]
              severity: warn
      """;

  static final String SLOW =
      """
      id: slow
      namespace: ui
      sla: {maxDuration: 10m}
      tasks:
        - {id: wait, type: test.block, latch: quality-slow}
      alerts:
        - on: [slaMissed]
          webhook: {url: "http://127.0.0.1:9/hook"}
      """;

  @TempDir Path dir;
  ServerFixture server;
  final SettableClock clock = new SettableClock(T0);

  @AfterEach
  void stop() {
    TestTasks.open("quality-slow");
    if (server != null) {
      server.close();
    }
    TestTasks.reset();
  }

  private UiSession start() throws Exception {
    var fixture = new ServerFixture(dir, clock);
    ServerOptions o = UiHttpTest.withCanary(fixture.options());
    server =
        fixture.start(
            o.withAlerts(
                new AlertSettings(
                    null, null, null, null, 1, Duration.ofMillis(10), Duration.ofHours(1))));
    server.writeFlow("orders.yaml", ORDERS);
    server.writeFlow("slow.yaml", SLOW);
    server.server.watcher().scan();
    UiSession ui = new UiSession(server);
    ui.signIn(ServerFixture.TOKEN);
    return ui;
  }

  /** Four runs a minute apart: 1000, 1000, 1000 and then 100 orders, which the anomaly warns of. */
  private String fourRuns() {
    String last = null;
    for (int rows : new int[] {1000, 1000, 1000, 100}) {
      clock.advance(Duration.ofMinutes(1));
      last =
          server
              .post("/flows/ui/orders/runs", "{\"inputs\": {\"rows\": " + rows + "}}")
              .json()
              .path("runId")
              .asText();
      assertThat(server.awaitRun(last).path("state").asText()).isEqualTo("SUCCEEDED");
    }
    return last;
  }

  @Test
  void the_datasets_page_shows_each_checks_history_and_the_trend_against_the_baseline()
      throws Exception {
    UiSession ui = start();
    String last = fourRuns();

    var page = ui.get("/datasets");
    assertThat(page.status()).isEqualTo(200);
    String body = page.body();
    assertThat(body).doesNotContain(UiHttpTest.CANARY).contains("******");
    assertThat(body)
        .contains("ui/orders · orders", "ui/orders · notes", "id=\"ds-ui-orders-orders\"");
    assertThat(strip(body, "anomaly(rowCount, lookback=10, maxChangePercent=50)"))
        .isEqualTo("pass pass pass warn");
    assertThat(strip(body, "rowCount(min=1)")).isEqualTo("pass pass pass pass");
    assertThat(strip(body, "unique(id)")).isEqualTo("warn warn warn warn");
    assertThat(body).contains("href=\"/runs/" + last + "\"");
    // the last two runs were judged against a mean: a baseline and its ±50% band
    assertThat(body).contains("<polyline class=\"baseline\"", "<polygon class=\"band\"");
    assertThat(body).contains("100 rows, warn", "against the anomaly baseline");
    assertThat(body).contains("Last written", "data-age");

    var one = ui.get("/datasets?flow=ui/orders&dataset=orders");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body()).contains("ui/orders · orders").doesNotContain("ui/orders · notes");
    assertThat(ui.get("/datasets?flow=ui/slow").body()).contains("No dataset matches");
  }

  @Test
  void bad_dataset_filters_answer_a_clear_error_page() throws Exception {
    UiSession ui = start();
    var bad = ui.get("/datasets?flow=orders");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body())
        .contains("flow must be NAMESPACE/ID, e.g. /datasets?flow=shop/daily_orders");
    var unknown = ui.get("/datasets?flow=ui/nothing");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).startsWith("text/html");
    assertThat(unknown.body()).contains("no flow ui/nothing on this server");
  }

  @Test
  void the_overview_shows_quality_warnings_freshness_sla_misses_and_the_next_fires()
      throws Exception {
    UiSession ui = start();
    assertThat(ui.get("/").body()).contains("No check failed.", "No dataset has been written yet.");
    String last = fourRuns();
    String slow = server.post("/flows/ui/slow/runs", "{}").json().path("runId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.get("/runs/" + slow).json().path("state").asText().equals("RUNNING"));
    clock.advance(Duration.ofMinutes(11));
    server.server.alerts().checkSlas();

    String body = ui.get("/").body();
    assertThat(body).doesNotContain(UiHttpTest.CANARY);
    // quality warnings: the anomaly of the last run and the duplicate id of every run
    assertThat(section(body, "quality"))
        .contains("anomaly(rowCount, lookback=10, maxChangePercent=50)", "unique(id)")
        .contains("href=\"/runs/" + last + "\"", "100 rows against a mean of 1000", "******")
        .contains("4 times", "1 time<")
        .doesNotContain("rowCount(min=1)");
    assertThat(section(body, "freshness"))
        .contains("ui/orders · orders", "ui/orders · notes")
        .contains("/datasets?flow=ui%2Forders&amp;dataset=orders");
    assertThat(section(body, "sla"))
        .contains("href=\"/runs/" + slow + "\"", "longer than its maxDuration of 10m");
    assertThat(section(body, "upcoming"))
        .contains("datetime=\"2026-12-02T09:00:00Z\"", "morning")
        .doesNotContain("never");
  }

  /** The results of a check's strip, oldest first, as words. */
  private static String strip(String body, String check) {
    Matcher row =
        Pattern.compile(
                "<tr data-check=\"" + Pattern.quote(check) + "\">(.*?)</tr>", Pattern.DOTALL)
            .matcher(body);
    assertThat(row.find()).as("a row for " + check).isTrue();
    Matcher mark = Pattern.compile("class=\"mark mark-(\\w+)\"").matcher(row.group(1));
    var out = new StringBuilder();
    while (mark.find()) {
      out.append(out.isEmpty() ? "" : " ").append(mark.group(1));
    }
    return out.toString();
  }

  /** The overview section whose heading has this id. */
  private static String section(String body, String id) {
    int start = body.indexOf("aria-labelledby=\"" + id + "\"");
    assertThat(start).as("section " + id).isPositive();
    return body.substring(start, body.indexOf("</section>", start));
  }
}
