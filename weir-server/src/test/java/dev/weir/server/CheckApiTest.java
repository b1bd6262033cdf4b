package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quality check results in run detail, per run, and as a dataset's history. */
class CheckApiTest {
  static final String FLOW =
      """
      id: orders_daily
      namespace: shop
      inputs:
        - {id: rows, type: int, default: 1000}
      tasks:
        - id: orders
          type: sql.transform
          sql: SELECT range AS order_id FROM range({{ inputs.rows }})
        - id: check_orders
          type: quality.check
          dataset: orders
          checks:
            - rowCount: {min: 1}
            - anomaly: {maxChangePercent: 50, minHistory: 2}
              severity: warn
      """;

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new ServerFixture(dir);
    fx.writeFlow("shop/orders.yaml", FLOW);
    fx.start();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private JsonNode run(int rows) {
    var started =
        fx.post("/flows/shop/orders_daily/runs", "{\"inputs\": {\"rows\": " + rows + "}}");
    assertThat(started.status()).isEqualTo(202);
    return fx.awaitRun(started.json().path("runId").asText());
  }

  @Test
  void a_run_lists_its_checks_and_the_flow_keeps_their_history_per_dataset() {
    run(1000);
    run(1000);
    JsonNode low = run(100);
    assertThat(low.path("state").asText()).isEqualTo("SUCCEEDED");
    String runId = low.path("id").asText();

    JsonNode inDetail = low.path("checks");
    assertThat(inDetail).hasSize(2);
    JsonNode anomaly = inDetail.get(1);
    assertThat(anomaly.path("kind").asText()).isEqualTo("anomaly");
    assertThat(anomaly.path("passed").asBoolean()).isFalse();
    assertThat(anomaly.path("severity").asText()).isEqualTo("warn");
    assertThat(anomaly.path("observed").asDouble()).isEqualTo(100.0);
    assertThat(anomaly.path("dataset").asText()).isEqualTo("orders");
    assertThat(anomaly.path("task").asText()).isEqualTo("check_orders");
    assertThat(anomaly.path("detail").asText())
        .startsWith("100 rows against a mean of 1000 over the last 2 successful runs (-90.0%");

    var perRun = fx.get("/runs/" + runId + "/checks");
    assertThat(perRun.status()).isEqualTo(200);
    assertThat(perRun.json().path("runId").asText()).isEqualTo(runId);
    assertThat(perRun.json().path("checks")).isEqualTo(inDetail);

    var history = fx.get("/flows/shop/orders_daily/checks?dataset=orders&limit=4").json();
    assertThat(history.path("dataset").asText()).isEqualTo("orders");
    assertThat(history.path("checks")).hasSize(4);
    assertThat(history.path("checks").get(0).path("runId").asText()).isEqualTo(runId);
    assertThat(fx.get("/flows/shop/orders_daily/checks").json().path("checks")).hasSize(6);
    assertThat(fx.get("/flows/shop/orders_daily/checks?dataset=other").json().path("checks"))
        .isEmpty();
  }

  @Test
  void errors_use_the_common_shape() {
    var unknownFlow = fx.get("/flows/shop/nope/checks");
    assertThat(unknownFlow.status()).isEqualTo(404);
    assertThat(unknownFlow.json().path("error").path("message").asText()).contains("shop/nope");
    var badLimit = fx.get("/flows/shop/orders_daily/checks?limit=0");
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(badLimit.json().path("error").path("message").asText())
        .isEqualTo("'limit' must be at least 1, got 0");
    var notANumber = fx.get("/flows/shop/orders_daily/checks?limit=ten");
    assertThat(notANumber.status()).isEqualTo(400);
    var unknownRun = fx.get("/runs/nope/checks");
    // as GET /runs/nope answers (the store's "no run" error)
    assertThat(unknownRun.status()).isEqualTo(fx.get("/runs/nope").status());
    assertThat(unknownRun.json().path("error").path("message").asText()).contains("no run 'nope'");
  }
}
