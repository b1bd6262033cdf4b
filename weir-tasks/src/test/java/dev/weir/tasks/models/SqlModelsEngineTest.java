package dev.weir.tasks.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.lineage.LineageConfig;
import dev.weir.lineage.LineageEmitter;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.tasks.TestFiles;
import dev.weir.testing.EngineFixture;
import java.nio.file.Files;
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

/**
 * sql.models through the engine, as {@code weir run} runs it: each node a task run of its own with
 * its log (the compiled SQL), outputs, audit rows and OpenLineage events.
 */
class SqlModelsEngineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FLOW =
      """
      id: shop_models
      namespace: shop
      tasks:
        - id: transform
          type: sql.models
          project: jaffle_shop
          target: {connection: warehouse, schema: analytics}
          threads: 3
      """;

  @TempDir Path dir;
  private Path lineage;
  private LineageEmitter emitter;
  private EngineFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    TestFiles.copyTree(Projects.path("jaffle_shop"), dir.resolve("jaffle_shop"));
    Files.writeString(
        dir.resolve("weir.yaml"),
        "connections:\n  warehouse:\n    url: jdbc:duckdb:warehouse.duckdb\n");
    lineage = dir.resolve("lineage.jsonl");
    var store = JdbcStateStore.h2(dir.resolve(".weir"));
    emitter = LineageEmitter.start(LineageConfig.toFile(lineage), store, s -> s);
    fx = new EngineFixture(dir, store, Map.of(), emitter);
  }

  @AfterEach
  void tearDown() {
    emitter.close();
    fx.close();
  }

  @Test
  void each_model_seed_and_test_is_a_task_run_with_its_sql_audit_and_lineage() throws Exception {
    RunRecord run = fx.run(FLOW);

    assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(RunState.SUCCEEDED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.keySet().stream().filter(id -> id.startsWith("transform/"))).hasSize(3 + 5 + 20);
    assertThat(t.values()).allMatch(r -> r.state() == TaskState.SUCCEEDED);
    TaskRunRecord customers = t.get("transform/customers");
    assertThat(customers.rows()).isEqualTo(10);
    assertThat(customers.outputs()).contains("\"materialized\":\"table\"");
    assertThat(t.get("transform/raw_orders").rows()).isEqualTo(14);
    assertThat(t.get("transform/stg_orders").outputs()).contains("\"materialized\":\"view\"");

    List<String> log =
        fx.store.logs(run.id(), "transform/customers").stream().map(LogLine::message).toList();
    assertThat(log).anyMatch(l -> l.startsWith("compiled SQL:") && l.contains("stg_orders"));
    assertThat(log).anyMatch(l -> l.contains("table analytics.customers: 10 rows"));

    var audit =
        fx.store.audits(run.id()).stream()
            .filter(a -> a.taskId().equals("transform/customers"))
            .findFirst()
            .orElseThrow();
    assertThat(audit.rowsWritten()).isEqualTo(10);
    assertThat(audit.outputs()).contains("analytics.customers");
    assertThat(audit.inputs()).contains("analytics.stg_orders", "analytics.stg_payments");

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            events().stream()
                .anyMatch(e ->
                    job(e).equals("shop_models.transform/customers")
                        && type(e).equals("COMPLETE")));
    JsonNode complete =
        events().stream()
            .filter(e -> job(e).equals("shop_models.transform/customers"))
            .filter(e -> type(e).equals("COMPLETE"))
            .findFirst()
            .orElseThrow();
    assertThat(complete.path("outputs").get(0).path("name").asText())
        .isEqualTo("analytics.customers");
    assertThat(complete.path("outputs").get(0).path("namespace").asText())
        .isEqualTo("duckdb:" + dir.resolve("warehouse.duckdb").toAbsolutePath().normalize());
  }

  @Test
  void a_failing_error_test_fails_the_task_and_its_downstream_models_are_upstream_failed()
      throws Exception {
    // a status the schema does not accept: stg_orders' accepted_values test fails
    Path orders = dir.resolve("jaffle_shop/seeds/raw_orders.csv");
    Files.writeString(
        orders,
        Files.readString(orders).replace("\n2,3,2018-01-02,completed", "\n2,3,2018-01-02,lost"));
    Files.writeString(
        dir.resolve("jaffle_shop/models/after_orders.sql"), "select * from {{ ref('orders') }}\n");

    RunRecord run = fx.run(FLOW);

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("transform").state()).isEqualTo(TaskState.FAILED);
    assertThat(t.get("transform").error())
        .contains("1 node failed")
        .contains("test accepted_values_stg_orders_")
        .contains(
            "accepted_values on stg_orders.status (models/staging/schema.yml:19:13): 1 failing rows")
        .contains(": 1 failing rows");
    TaskRunRecord failedTest =
        t.values().stream()
            .filter(r -> r.taskId().startsWith("transform/accepted_values_stg_orders_"))
            .findFirst()
            .orElseThrow();
    assertThat(failedTest.state()).isEqualTo(TaskState.FAILED);
    assertThat(failedTest.error()).contains("1 failing rows");
    assertThat(t.get("transform/orders").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(t.get("transform/after_orders").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(t.get("transform/stg_customers").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(fx.store.checks(run.id()))
        .filteredOn(c -> !c.passed())
        .singleElement()
        .satisfies(c -> {
          assertThat(c.name()).startsWith("accepted_values_stg_orders_");
          assertThat(c.kind()).isEqualTo("accepted_values");
          assertThat(c.failingRows()).isEqualTo(1);
          assertThat(c.dataset()).isEqualTo("analytics.stg_orders");
        });
  }

  @Test
  void a_retried_run_builds_only_the_nodes_that_did_not_succeed_before() throws Exception {
    RunRecord retried = failThenRetry(FLOW);

    assertThat(retried.state()).as(String.valueOf(retried.error())).isEqualTo(RunState.SUCCEEDED);
    List<TaskRunRecord> rows = fx.store.taskRuns(retried.id());
    assertThat(rows).filteredOn(r -> r.taskId().equals("transform/customers")).hasSize(1);
    assertThat(rows)
        .filteredOn(r -> r.taskId().equals("transform/after_orders"))
        .extracting(TaskRunRecord::state)
        .containsExactly(TaskState.FAILED, TaskState.SUCCEEDED);
    TaskRunRecord transform = fx.latest(retried.id()).get("transform");
    assertThat(transform.outputs()).contains("\"models\":1").contains("\"reused\":28");
    assertThat(fx.store.logs(retried.id(), "transform").stream().map(LogLine::message))
        .anyMatch(l -> l.startsWith("28 selected nodes succeeded in an earlier attempt"));
    assertThat(fx.latest(retried.id()).get("transform/customers").state())
        .isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void a_failing_test_fixed_then_retried_runs_again_with_what_it_held_back_only() throws Exception {
    Path orders = dir.resolve("jaffle_shop/seeds/raw_orders.csv");
    Files.writeString(
        orders,
        Files.readString(orders).replace("\n2,3,2018-01-02,completed", "\n2,3,2018-01-02,lost"));
    RunRecord first = fx.run(FLOW);
    assertThat(first.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(first.id()).get("transform/orders").state())
        .isEqualTo(TaskState.UPSTREAM_FAILED);
    // 'lost' is a status after all: the tests of stg_orders and orders are widened
    for (String yml : List.of("models/staging/schema.yml", "models/schema.yml")) {
      Path schema = dir.resolve("jaffle_shop").resolve(yml);
      Files.writeString(
          schema, Files.readString(schema).replace("'returned']", "'returned', 'lost']"));
    }

    RunRecord retried = fx.engine.retry(first.id()).await(Duration.ofSeconds(60));

    assertThat(retried.state()).as(String.valueOf(retried.error())).isEqualTo(RunState.SUCCEEDED);
    List<TaskRunRecord> rows = fx.store.taskRuns(retried.id());
    // the seed and the staging model it tests are not built again; orders, held back, is
    assertThat(rows).filteredOn(r -> r.taskId().equals("transform/raw_orders")).hasSize(1);
    assertThat(rows).filteredOn(r -> r.taskId().equals("transform/stg_orders")).hasSize(1);
    assertThat(rows)
        .filteredOn(r -> r.taskId().equals("transform/orders"))
        .extracting(TaskRunRecord::state)
        .containsExactly(TaskState.UPSTREAM_FAILED, TaskState.SUCCEEDED);
    assertThat(fx.latest(retried.id()).values())
        .filteredOn(r -> r.taskId().startsWith("transform/accepted_values_stg_orders_"))
        .extracting(TaskRunRecord::state)
        .contains(TaskState.SUCCEEDED);
  }

  @Test
  void with_resume_false_a_retried_run_builds_the_whole_selection_again() throws Exception {
    RunRecord retried = failThenRetry(FLOW + "    resume: false\n");

    assertThat(retried.state()).as(String.valueOf(retried.error())).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.store.taskRuns(retried.id()))
        .filteredOn(r -> r.taskId().equals("transform/customers"))
        .extracting(TaskRunRecord::state)
        .containsExactly(TaskState.SUCCEEDED, TaskState.SUCCEEDED);
  }

  @Test
  void once_a_newer_run_of_the_flow_exists_a_retry_builds_the_whole_selection_again()
      throws Exception {
    RunRecord first = failingRun(FLOW);
    RunRecord newer = fx.run(FLOW); // it built every table again, after the fix
    assertThat(newer.state()).as(String.valueOf(newer.error())).isEqualTo(RunState.SUCCEEDED);

    RunRecord retried = fx.engine.retry(first.id()).await(Duration.ofSeconds(60));

    assertThat(retried.state()).as(String.valueOf(retried.error())).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.store.taskRuns(first.id()))
        .filteredOn(r -> r.taskId().equals("transform/customers"))
        .hasSize(2);
  }

  /** A run whose model after_orders fails, fixed, then retried ({@code weir retry}). */
  private RunRecord failThenRetry(String flow) throws Exception {
    RunRecord first = failingRun(flow);
    return fx.engine.retry(first.id()).await(Duration.ofSeconds(60));
  }

  /** A run whose model after_orders fails; the model is fixed after it. */
  private RunRecord failingRun(String flow) throws Exception {
    Path after = dir.resolve("jaffle_shop/models/after_orders.sql");
    Files.writeString(
        after, "select * from {{ ref('orders') }} join not_there_yet using (order_id)\n");
    RunRecord first = fx.run(flow);
    assertThat(first.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(first.id()).get("transform/after_orders").state())
        .isEqualTo(TaskState.FAILED);
    Files.writeString(after, "select * from {{ ref('orders') }}\n");
    return first;
  }

  @Test
  void what_a_model_logs_while_it_compiles_is_in_its_step_log() throws Exception {
    Path customers = dir.resolve("jaffle_shop/models/customers.sql");
    Files.writeString(
        customers,
        "{{ log('building ' ~ this, info=True) }}{{ log('payments: ' ~ ref('stg_payments')) }}\n"
            + Files.readString(customers));

    RunRecord run = fx.run(FLOW);

    assertThat(run.state()).as(String.valueOf(run.error())).isEqualTo(RunState.SUCCEEDED);
    List<LogLine> log = fx.store.logs(run.id(), "transform/customers");
    assertThat(log)
        .filteredOn(l -> l.message().startsWith("building "))
        .singleElement() // the first pass, which finds the refs, logs nothing
        .satisfies(l -> {
          assertThat(l.message()).isEqualTo("building \"analytics\".\"customers\"");
          assertThat(l.level()).isEqualTo("INFO");
        });
    assertThat(log) // dbt keeps info=False messages in its debug log
        .filteredOn(l -> l.message().equals("payments: \"analytics\".\"stg_payments\""))
        .singleElement()
        .satisfies(l -> assertThat(l.level()).isEqualTo("DEBUG"));
    List<String> messages = log.stream().map(LogLine::message).toList();
    assertThat(
            messages.indexOf(
                firstStartingWith(messages, "building "))) // before the SQL it compiled to
        .isLessThan(messages.indexOf(firstStartingWith(messages, "compiled SQL:")));
  }

  @Test
  void what_a_failing_model_logged_before_the_error_is_in_its_step_log() throws Exception {
    Files.writeString(
        dir.resolve("jaffle_shop/models/recent_orders.sql"),
        "{{ config(materialized='incremental', unique_key='order_id') }}\n"
            + "{{ log('building ' ~ this, info=True) }}\n"
            + "select * from {{ ref('orders') }}\n"
            + "{% if is_incremental() %}{{ log('incrementally', info=True) }}"
            + "where order_date > {{ since }}{% endif %}\n");
    assertThat(fx.run(FLOW).state()).isEqualTo(RunState.SUCCEEDED);

    RunRecord run = fx.run(FLOW); // incremental now: the branch is compiled, `since` undefined

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(run.id()).get("transform/recent_orders").state())
        .isEqualTo(TaskState.FAILED);
    List<String> log =
        fx.store.logs(run.id(), "transform/recent_orders").stream()
            .map(l -> l.level() + " " + l.message())
            .toList();
    assertThat(log)
        .containsSubsequence(
            "INFO building \"analytics\".\"recent_orders\"",
            "INFO incrementally",
            firstStartingWith(log, "ERROR models/recent_orders.sql:4: 'since' is undefined;"));
  }

  private static String firstStartingWith(List<String> lines, String prefix) {
    return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }

  private List<JsonNode> events() throws Exception {
    if (!Files.exists(lineage)) {
      return List.of();
    }
    var out = new ArrayList<JsonNode>();
    for (String line : Files.readAllLines(lineage)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private static String job(JsonNode e) {
    return e.path("job").path("name").asText();
  }

  private static String type(JsonNode e) {
    return e.path("eventType").asText();
  }
}
