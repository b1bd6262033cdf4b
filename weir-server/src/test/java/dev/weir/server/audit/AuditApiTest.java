package dev.weir.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.lineage.LineageConfig;
import dev.weir.server.ServerFixture;
import dev.weir.server.WeirServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /runs/{id}/audit} and the lineage file of a server configured with one. */
class AuditApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FLOW =
      """
      id: orders
      namespace: shop
      tasks:
        - id: read
          type: file.read
          path: orders.csv
          maxRejected: 50%
          schema: {id: BIGINT, amount: 'DECIMAL(10,2)'}
        - id: big
          type: sql.transform
          sql: SELECT * FROM read WHERE amount >= 10
        - id: fails
          type: test.fail
          dependsOn: [big]
          retry: {attempts: 1}
      """;

  @TempDir Path dir;
  ServerFixture fx;
  Path events;

  @BeforeEach
  void start() throws Exception {
    fx = new ServerFixture(dir);
    Path flow = fx.writeFlow("shop/orders.yaml", FLOW);
    Files.writeString(flow.resolveSibling("orders.csv"), "id,amount\n1,5\n2,12.5\n3,x\n4,20\n");
    events = dir.resolve("lineage/events.jsonl");
    fx.server = WeirServer.start(fx.options().withLineage(LineageConfig.toFile(events)), t -> {});
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void a_runs_audit_has_totals_and_each_tasks_counts_and_datasets() throws Exception {
    String runId = fx.post("/flows/shop/orders/runs", "{}").json().path("runId").asText();
    assertThat(fx.awaitRun(runId).path("state").asText()).isEqualTo("FAILED");

    var answer = fx.get("/runs/" + runId + "/audit");
    assertThat(answer.status()).isEqualTo(200);
    JsonNode audit = answer.json();
    JsonNode summary = audit.path("summary");
    assertThat(summary.path("runId").asText()).isEqualTo(runId);
    assertThat(summary.path("flow").asText()).isEqualTo("shop/orders");
    assertThat(summary.path("state").asText()).isEqualTo("FAILED");
    assertThat(summary.path("tasks").asInt()).isEqualTo(3);
    assertThat(summary.path("taskStates").path("SUCCEEDED").asInt()).isEqualTo(2);
    assertThat(summary.path("taskStates").path("FAILED").asInt()).isEqualTo(1);
    assertThat(summary.path("rowsRead").asLong()).isEqualTo(4 + 3);
    assertThat(summary.path("rowsWritten").asLong()).isEqualTo(3 + 2);
    assertThat(summary.path("rowsRejected").asLong()).isEqualTo(1);
    assertThat(summary.path("durationMs").isIntegralNumber()).isTrue();

    JsonNode read = audit.path("tasks").get(0);
    assertThat(read.path("taskId").asText()).isEqualTo("read");
    assertThat(read.path("rowsRead").asLong()).isEqualTo(4);
    assertThat(read.path("rowsRejected").asLong()).isEqualTo(1);
    assertThat(read.path("rowsWritten").asLong()).isEqualTo(3);
    assertThat(read.path("bytesWritten").isNull()).isTrue();
    assertThat(read.path("checksum").asText()).isNotBlank();
    assertThat(read.path("inputs").get(0).path("namespace").asText()).isEqualTo("file");
    assertThat(read.path("inputs").get(0).path("name").asText()).endsWith("orders.csv");
    JsonNode big = audit.path("tasks").get(1);
    assertThat(big.path("inputs").get(0).path("name").asText()).isEqualTo("orders.read");
    assertThat(big.path("outputs").get(0).path("rows").asLong()).isEqualTo(2);
    JsonNode fails = audit.path("tasks").get(2);
    assertThat(fails.path("state").asText()).isEqualTo("FAILED");
    assertThat(fails.path("inputs")).isEmpty();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(events) && Files.readAllLines(events).size() == 8);
    var kinds = new ArrayList<String>();
    for (String line : Files.readAllLines(events)) {
      JsonNode e = JSON.readTree(line);
      kinds.add(e.path("job").path("name").asText() + " " + e.path("eventType").asText());
    }
    assertThat(kinds)
        .containsExactlyInAnyOrder(
            "orders START",
            "orders FAIL",
            "orders.read START",
            "orders.read COMPLETE",
            "orders.big START",
            "orders.big COMPLETE",
            "orders.fails START",
            "orders.fails FAIL");
  }

  @Test
  void the_audit_of_an_unknown_run_is_a_404_in_the_common_error_shape() {
    var missing = fx.get("/runs/nope-123/audit");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("error").path("status").asInt()).isEqualTo(404);
    assertThat(missing.json().path("error").path("message").asText()).contains("nope-123");
  }
}
