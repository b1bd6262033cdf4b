package dev.weir.tasks.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.expr.Secrets;
import dev.weir.lineage.LineageConfig;
import dev.weir.lineage.LineageEmitter;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.tasks.S3TestServer;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.OpenLineageSpec;
import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flow through a local file, DuckDB (SQL and a database file), PostgreSQL and S3, with one task
 * that fails: every event it sends passes the OpenLineage 2-0-2 spec check, the run and each task
 * attempt have one START and one end, every task event names the flow run as its parent, and the
 * datasets are named by OpenLineage's naming conventions.
 */
class LineageSpecFlowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FLOW_ID = "lineage_spec";

  @TempDir Path dir;
  private S3TestServer s3;
  private EngineFixture fx;
  private LineageEmitter lineage;
  private Path events;
  private String warehouse;
  private String bucket;

  @BeforeEach
  void setUp() throws Exception {
    s3 = S3TestServer.start();
    bucket = s3.bucket();
    warehouse = TestDatabases.freshPostgresSchemaUrl();
    JdbcStateStore store = JdbcStateStore.h2(dir.resolve(".weir"));
    events = dir.resolve("lineage.jsonl");
    lineage = LineageEmitter.start(LineageConfig.toFile(events), store, s -> s);
    fx =
        new EngineFixture(
            dir,
            store,
            Map.of(
                Secrets.ENV_PREFIX + "LAKE_ENDPOINT", s3.endpoint(),
                Secrets.ENV_PREFIX + "LAKE_KEY", S3TestServer.ACCESS_KEY,
                Secrets.ENV_PREFIX + "LAKE_SECRET", S3TestServer.SECRET_KEY),
            lineage);
    fx.write(
        "weir.yaml",
        """
        connections:
          warehouse: {url: '%s'}
          duck: {url: 'jdbc:duckdb:warehouse.duckdb'}
          lake:
            type: s3
            endpoint: "{{ secret('LAKE_ENDPOINT') }}"
            pathStyle: true
            accessKey: "{{ secret('LAKE_KEY') }}"
            secretKey: "{{ secret('LAKE_SECRET') }}"
        """
            .formatted(warehouse));
    fx.write("orders.csv", "id,amount\n1,1.50\n2,2.50\n3,4.00\n4,5.25\n");
  }

  @AfterEach
  void close() throws Exception {
    lineage.close();
    fx.close();
    s3.close();
  }

  @Test
  void every_event_of_a_flow_through_files_duckdb_postgres_and_s3_follows_the_spec()
      throws Exception {
    RunRecord run =
        fx.run(
            """
            id: lineage_spec
            namespace: shop
            tasks:
              - id: orders
                type: file.read
                path: orders.csv
                schema: {id: BIGINT, amount: 'DECIMAL(10,2)'}
              - id: big
                type: sql.transform
                sql: SELECT id, amount FROM orders WHERE amount > 2
              - id: to_pg
                type: jdbc.load
                dataset: big
                connection: warehouse
                table: orders_big
                mode: replace
              - id: from_pg
                type: jdbc.extract
                connection: warehouse
                table: orders_big
              - id: to_duck
                type: jdbc.load
                dataset: from_pg
                connection: duck
                table: orders_copy
                mode: replace
              - id: to_s3
                type: file.write
                dataset: from_pg
                dependsOn: [from_pg]
                connection: lake
                path: s3://%s/out/orders.csv
              - id: from_s3
                type: file.read
                connection: lake
                path: s3://%s/out/orders.csv
                schema: {id: BIGINT, amount: 'DECIMAL(10,2)'}
              - id: missing
                type: jdbc.extract
                dependsOn: []
                retry: {attempts: 1}
                connection: warehouse
                table: no_such_table
            """
                .formatted(bucket, bucket));
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(run.id()).get("from_s3").state().name()).isEqualTo("SUCCEEDED");
    assertThat(fx.latest(run.id()).get("to_duck").state().name()).isEqualTo("SUCCEEDED");

    // the run's 2 events and 2 for each of its 8 tasks
    await().atMost(Duration.ofSeconds(20)).until(() -> lineage.sent() >= 18);
    List<JsonNode> all = new ArrayList<>();
    for (String line : Files.readAllLines(events)) {
      all.add(JSON.readTree(line));
    }
    assertThat(all).hasSize(18);

    // 1. each event by itself, against the spec
    for (JsonNode e : all) {
      assertThat(OpenLineageSpec.problems(e)).as(e.toString()).isEmpty();
    }

    // 2. the flow run: one START first, one FAIL last, with the error
    JsonNode first = all.get(0);
    JsonNode last = all.get(all.size() - 1);
    assertThat(kind(first)).isEqualTo(FLOW_ID + " START");
    assertThat(kind(last)).isEqualTo(FLOW_ID + " FAIL");
    assertThat(last.at("/run/facets/errorMessage/message").asText()).isNotBlank();
    String flowRun = first.at("/run/runId").asText();
    assertThat(last.at("/run/runId").asText()).isEqualTo(flowRun);
    assertThat(all.stream().filter(e -> e.at("/job/name").asText().equals(FLOW_ID))).hasSize(2);

    // 3. each task attempt: START then its end under one run id of its own, the flow run as parent
    Map<String, List<JsonNode>> byTask = new LinkedHashMap<>();
    for (JsonNode e : all.subList(1, all.size() - 1)) {
      assertThat(e.at("/job/namespace").asText()).isEqualTo("shop");
      assertThat(e.at("/job/name").asText()).startsWith(FLOW_ID + ".");
      byTask.computeIfAbsent(e.at("/job/name").asText(), k -> new ArrayList<>()).add(e);
      JsonNode parent = e.at("/run/facets/parent");
      assertThat(parent.at("/run/runId").asText()).isEqualTo(flowRun);
      assertThat(parent.at("/job/namespace").asText()).isEqualTo("shop");
      assertThat(parent.at("/job/name").asText()).isEqualTo(FLOW_ID);
    }
    assertThat(byTask).hasSize(8);
    Set<String> runIds = new HashSet<>(Set.of(flowRun));
    byTask.forEach((job, evs) -> {
      assertThat(evs).as(job).hasSize(2);
      assertThat(evs.get(0).path("eventType").asText()).as(job).isEqualTo("START");
      String end = job.endsWith(".missing") ? "FAIL" : "COMPLETE";
      assertThat(evs.get(1).path("eventType").asText()).as(job).isEqualTo(end);
      String id = evs.get(0).at("/run/runId").asText();
      assertThat(evs.get(1).at("/run/runId").asText()).as(job).isEqualTo(id);
      assertThat(runIds.add(id)).as(job + " has a run id of its own").isTrue();
    });

    // 4. datasets by OpenLineage's naming conventions
    Path csv = dir.resolve("orders.csv").toAbsolutePath();
    String pgNamespace = postgresNamespace(warehouse);
    String pgTable = database(warehouse) + "." + schema(warehouse) + ".orders_big";
    String staged = "weir://shop";
    assertThat(datasets(byTask, "orders", "inputs")).containsExactly("file " + csv);
    assertThat(datasets(byTask, "orders", "outputs"))
        .containsExactly(staged + " " + FLOW_ID + ".orders");
    assertThat(datasets(byTask, "big", "inputs"))
        .containsExactly(staged + " " + FLOW_ID + ".orders");
    assertThat(datasets(byTask, "to_pg", "outputs")).containsExactly(pgNamespace + " " + pgTable);
    assertThat(datasets(byTask, "from_pg", "inputs")).containsExactly(pgNamespace + " " + pgTable);
    assertThat(datasets(byTask, "to_duck", "outputs"))
        .containsExactly(
            "duckdb:" + dir.resolve("warehouse.duckdb").toAbsolutePath() + " orders_copy");
    assertThat(datasets(byTask, "to_s3", "outputs"))
        .containsExactly("s3://" + bucket + " out/orders.csv");
    assertThat(datasets(byTask, "from_s3", "inputs"))
        .containsExactly("s3://" + bucket + " out/orders.csv");
    assertThat(pgNamespace).matches("postgres://[^/:@]+:\\d+");
    assertThat(pgTable.split("\\.")).hasSize(3);
    // row counts travel as statistics facets
    JsonNode loaded = byTask.get(FLOW_ID + ".to_pg").get(1).at("/outputs/0/outputFacets");
    assertThat(loaded.at("/outputStatistics/rowCount").asLong()).isEqualTo(3);
  }

  private static String kind(JsonNode e) {
    return e.at("/job/name").asText() + " " + e.path("eventType").asText();
  }

  /** "namespace name" of the datasets of the end event of a task. */
  private static List<String> datasets(Map<String, List<JsonNode>> byTask, String task, String f) {
    var out = new ArrayList<String>();
    for (JsonNode d : byTask.get(FLOW_ID + "." + task).get(1).path(f)) {
      out.add(d.path("namespace").asText() + " " + d.path("name").asText());
    }
    return out;
  }

  private static final Pattern PG =
      Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]+)(?:\\?(.*))?");

  private static Matcher pg(String url) {
    Matcher m = PG.matcher(url);
    assertThat(m.matches()).as(url).isTrue();
    return m;
  }

  private static String postgresNamespace(String url) {
    Matcher m = pg(url);
    return "postgres://" + m.group(1) + ":" + (m.group(2) == null ? "5432" : m.group(2));
  }

  private static String database(String url) {
    return pg(url).group(3);
  }

  private static String schema(String url) {
    Matcher m = Pattern.compile("[?&]currentSchema=([^&]+)").matcher(url);
    return m.find() ? m.group(1) : "public";
  }
}
