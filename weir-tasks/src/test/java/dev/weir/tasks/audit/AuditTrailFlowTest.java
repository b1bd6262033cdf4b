package dev.weir.tasks.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.audit.RunAudit;
import dev.weir.lineage.LineageConfig;
import dev.weir.lineage.LineageEmitter;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskAuditRecord;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV with a malformed line → SQL → PostgreSQL through the real engine and store: the audit trail
 * holds the right counts and checksums, the lineage file one START and one COMPLETE for the run and
 * for each task with the right datasets, and the password in the warehouse URL shows nowhere.
 */
class AuditTrailFlowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CANARY = "canary-91c2e7-pg-password";
  private static final String FLOW =
      """
      id: orders_audit
      namespace: shop
      tasks:
        - id: orders
          type: file.read
          path: orders.csv
          maxRejected: 50%
          schema: {id: BIGINT, amount: 'DECIMAL(10,2)', day: DATE}
        - id: shaped
          type: sql.transform
          sql: SELECT id, amount FROM orders WHERE amount > 2
        - id: load
          type: jdbc.load
          dataset: shaped
          connection: warehouse
          table: orders_out
          mode: replace
      """;

  @TempDir Path dir;
  private EngineFixture fx;
  private LineageEmitter lineage;
  private String warehouse;
  private Path events;

  @BeforeEach
  void setUp() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    // trust authentication ignores it; the point is that it is in the URL
    warehouse = url + "&password=" + CANARY;
    JdbcStateStore store = JdbcStateStore.h2(dir.resolve(".weir"));
    events = dir.resolve("lineage.jsonl");
    lineage = LineageEmitter.start(LineageConfig.toFile(events), store, s -> s);
    fx = new EngineFixture(dir, store, Map.of(), lineage);
    fx.write("weir.yaml", "connections:\n  warehouse: {url: '" + warehouse + "'}\n");
    fx.write(
        "orders.csv",
        """
        id,amount,day
        1,1.50,2026-03-01
        2,2.50,2026-03-01
        3,abc,2026-03-01
        4,4.00,2026-03-02
        5,5.25,2026-03-02
        6,0.75,2026-03-02
        """);
  }

  @AfterEach
  void close() {
    lineage.close();
    fx.close();
  }

  private Map<String, TaskAuditRecord> audits(String runId) {
    var m = new LinkedHashMap<String, TaskAuditRecord>();
    fx.store.audits(runId).forEach(a -> m.put(a.taskId(), a));
    return m;
  }

  private List<JsonNode> lineageEvents(int expected) throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> lineage.sent() >= expected);
    var out = new ArrayList<JsonNode>();
    for (String l : Files.readAllLines(events)) {
      out.add(JSON.readTree(l));
    }
    return out;
  }

  @Test
  void a_csv_to_postgres_run_leaves_counts_checksums_and_datasets_behind() throws Exception {
    RunRecord run = fx.run(FLOW);
    assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(RunState.SUCCEEDED);
    try (var c = DriverManager.getConnection(warehouse);
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM orders_out")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(3);
    }

    Map<String, TaskAuditRecord> a = audits(run.id());
    Path csv = dir.resolve("orders.csv").toAbsolutePath();
    TaskAuditRecord orders = a.get("orders");
    assertThat(orders.rowsRead()).isEqualTo(6);
    assertThat(orders.rowsRejected()).isEqualTo(1);
    assertThat(orders.rowsWritten()).isEqualTo(5);
    assertThat(orders.bytesRead()).isEqualTo(Files.size(csv));
    assertThat(orders.checksum()).isNotBlank();
    assertThat(orders.inputs())
        .isEqualTo(
            "[{\"namespace\":\"file\",\"name\":\""
                + csv
                + "\",\"rows\":6,\"bytes\":"
                + Files.size(csv)
                + "}]");
    assertThat(orders.outputs())
        .isEqualTo("[{\"namespace\":\"weir://shop\",\"name\":\"orders_audit.orders\",\"rows\":5}]");

    TaskAuditRecord shaped = a.get("shaped");
    assertThat(shaped.rowsRead()).isEqualTo(5);
    assertThat(shaped.rowsWritten()).isEqualTo(3);
    assertThat(shaped.inputs()).contains("orders_audit.orders");

    TaskAuditRecord load = a.get("load");
    assertThat(load.rowsRead()).isEqualTo(3);
    assertThat(load.rowsWritten()).isEqualTo(3);
    assertThat(load.checksum()).isEqualTo(shaped.checksum());
    assertThat(fx.latest(run.id()).get("shaped").outputs()).contains(shaped.checksum());
    String pg = warehouse.replaceFirst("jdbc:postgresql://([^/]+)/([^?]+).*", "postgres://$1 $2");
    String namespace = pg.split(" ")[0];
    String database = pg.split(" ")[1];
    String schema = warehouse.replaceFirst(".*[?&]currentSchema=([^&]+).*", "$1");
    assertThat(load.outputs())
        .isEqualTo(
            "[{\"namespace\":\""
                + namespace
                + "\",\"name\":\""
                + database
                + "."
                + schema
                + ".orders_out\",\"rows\":3}]");

    RunAudit.Summary summary =
        RunAudit.of(run, fx.store.taskRuns(run.id()), fx.store.audits(run.id()), Instant.now())
            .summary();
    assertThat(summary.tasks()).isEqualTo(3);
    assertThat(summary.rowsRead()).isEqualTo(6 + 5 + 3);
    assertThat(summary.rowsWritten()).isEqualTo(5 + 3 + 3);
    assertThat(summary.rowsRejected()).isEqualTo(1);
    assertThat(summary.state()).isEqualTo("SUCCEEDED");

    List<JsonNode> ev = lineageEvents(8);
    assertThat(ev)
        .extracting(e -> e.path("job").path("name").asText() + " " + e.path("eventType").asText())
        .containsExactlyInAnyOrder(
            "orders_audit START",
            "orders_audit COMPLETE",
            "orders_audit.orders START",
            "orders_audit.orders COMPLETE",
            "orders_audit.shaped START",
            "orders_audit.shaped COMPLETE",
            "orders_audit.load START",
            "orders_audit.load COMPLETE");
    JsonNode loadDone = complete(ev, "orders_audit.load");
    assertThat(loadDone.path("inputs").get(0).path("namespace").asText()).isEqualTo("weir://shop");
    assertThat(loadDone.path("inputs").get(0).path("name").asText())
        .isEqualTo("orders_audit.shaped");
    JsonNode out = loadDone.path("outputs").get(0);
    assertThat(out.path("namespace").asText()).isEqualTo(namespace);
    assertThat(out.path("name").asText()).isEqualTo(database + "." + schema + ".orders_out");
    assertThat(out.path("outputFacets").path("outputStatistics").path("rowCount").asLong())
        .isEqualTo(3);
    JsonNode read = complete(ev, "orders_audit.orders").path("inputs").get(0);
    assertThat(read.path("name").asText()).isEqualTo(csv.toString());
    assertThat(read.path("inputFacets").path("inputStatistics").path("rowCount").asLong())
        .isEqualTo(6);

    assertThat(Files.readString(events)).doesNotContain(CANARY);
    assertThat(fx.store.audits(run.id()).toString()).doesNotContain(CANARY);
  }

  private static JsonNode complete(List<JsonNode> events, String job) {
    return events.stream()
        .filter(e -> e.path("job").path("name").asText().equals(job))
        .filter(e -> e.path("eventType").asText().equals("COMPLETE"))
        .findFirst()
        .orElseThrow();
  }
}
