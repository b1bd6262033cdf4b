package dev.weir.tasks.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.CheckRecord;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.file.FileReadTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** freshness, range, regex, relationships and sql checks, and what they store per run. */
class MoreCheckKindsTest {
  @TempDir Path dir;
  private TestContext ctx;

  @BeforeEach
  void stage() throws Exception {
    Files.writeString(
        dir.resolve("orders.csv"),
        """
        order_id,customer_id,email,amount,updated_at
        1,10,ann@example.com,5.0,2026-11-21 06:00:00
        2,11,bob.example.com,20000.0,2026-11-21 04:00:00
        3,99,cy@example.com,-1.0,2026-11-20 23:00:00
        4,,,7.5,
        """);
    Files.writeString(
        dir.resolve("customers.csv"),
        """
        id,name
        10,Ann
        11,Bob
        """);
    ctx = new TestContext(dir).clock(InstantSource.fixed(Instant.parse("2026-11-21T08:00:00Z")));
    ctx.run("customers", new FileReadTask(), "path: customers.csv");
    ctx.run("orders", new FileReadTask(), "path: orders.csv");
  }

  private TaskResult check(String checks) throws Exception {
    return ctx.run("check", new QualityCheckTask(), "dataset: orders\nchecks:\n" + checks);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> first(Map<String, Object> outputs) {
    return ((List<Map<String, Object>>) outputs.get("checks")).getFirst();
  }

  private static Map<String, Object> firstFailed(Throwable e) {
    return first(((TaskFailedException) e).outputs());
  }

  @Test
  void passing_checks_of_the_new_kinds_succeed_and_are_stored() throws Exception {
    TaskResult result =
        check(
            """
            - freshness: {column: updated_at, maxAge: 6h}
            - range: {column: amount, min: -5, max: 100000}
            - regex: {column: email, pattern: 'com$'}
            - relationships: {column: order_id, to: orders, field: order_id}
            - sql: SELECT * FROM dataset WHERE amount > 1000000
            """);
    assertThat(result.outputs()).containsEntry("failed", 0);
    assertThat(ctx.checks())
        .extracting(CheckRecord::kind)
        .containsExactly("freshness", "range", "regex", "relationships", "sql");
    CheckRecord freshness = ctx.checks().getFirst();
    assertThat(freshness.runId()).isEqualTo("run-1");
    assertThat(freshness.dataset()).isEqualTo("orders");
    assertThat(freshness.name()).isEqualTo("freshness(updated_at, maxAge=6h)");
    assertThat(freshness.observed()).isEqualTo(2 * 3600.0);
    assertThat(freshness.detail()).isEqualTo("newest updated_at is 2026-11-21T06:00:00Z, 2h old");
    assertThat(freshness.checkedAt()).isEqualTo(Instant.parse("2026-11-21T08:00:00Z"));
  }

  @Test
  void freshness_fails_when_the_newest_row_is_older_than_max_age() {
    assertThatThrownBy(() -> check("- freshness: {column: updated_at, maxAge: 1h}"))
        .hasMessageContaining(
            "  freshness(updated_at, maxAge=1h): newest updated_at is 2026-11-21T06:00:00Z, 2h"
                + " old, expected at most 1h old at 2026-11-21T08:00:00Z\n")
        .satisfies(e -> assertThat(firstFailed(e)).containsEntry("observed", 7200.0));
    assertThat(ctx.checks()).singleElement().satisfies(r -> assertThat(r.passed()).isFalse());
  }

  @Test
  void freshness_without_any_value_fails_and_says_why() throws Exception {
    Files.writeString(dir.resolve("empty.csv"), "id,updated_at\n");
    ctx.run(
        "empty", new FileReadTask(), "path: empty.csv\nschema: {id: INT, updated_at: TIMESTAMP}");
    assertThatThrownBy(() ->
            ctx.run(
                "check",
                new QualityCheckTask(),
                "dataset: empty\nchecks: [{freshness: {column: updated_at, maxAge: 1d}}]"))
        .hasMessageContaining(
            "  freshness(updated_at, maxAge=1d): no row has a updated_at, so the data's age is"
                + " unknown\n");
  }

  @Test
  void range_failure_shows_the_rows_outside_it() {
    assertThatThrownBy(() -> check("- range: {column: amount, min: 0, max: 10000}"))
        .hasMessageContaining(
            "  range(amount, min=0, max=10000): 2 failing rows, e.g. {order_id=2,"
                + " customer_id=11, email=bob.example.com, amount=20000.0,")
        .satisfies(e ->
            assertThat((List<Map<String, Object>>) firstFailed(e).get("examples"))
                .extracting(row -> row.get("order_id"))
                .containsExactlyInAnyOrder(2L, 3L));
  }

  @Test
  void range_with_one_bound_checks_only_that_bound() throws Exception {
    assertThatThrownBy(() -> check("- range: {column: amount, min: 0}"))
        .hasMessageContaining("  range(amount, min=0): 1 failing row, e.g. {order_id=3,");
    assertThat(check("- range: {column: amount, max: 100000}").outputs())
        .containsEntry("failed", 0);
  }

  @Test
  void regex_failure_shows_the_values_that_do_not_match() {
    assertThatThrownBy(() -> check("- regex: {column: email, pattern: '^[^@]+@[^@]+$'}"))
        .hasMessageContaining(
            "  regex(email ~ '^[^@]+@[^@]+$'): 1 failing row, e.g. {order_id=2, customer_id=11,"
                + " email=bob.example.com,");
  }

  @Test
  void relationships_find_orphans_and_skip_nulls() {
    assertThatThrownBy(
            () -> check("- relationships: {column: customer_id, to: customers, field: id}"))
        .hasMessageContaining(
            "  relationships(customer_id -> customers.id): 1 failing row, e.g. {order_id=3,"
                + " customer_id=99,");
  }

  @Test
  void relationships_to_a_table_of_a_connection_find_orphans() throws Exception {
    String url = dev.weir.testing.TestDatabases.freshPostgresSchemaUrl();
    try (var c = java.sql.DriverManager.getConnection(url)) {
      c.createStatement()
          .execute(
              "CREATE TABLE customers (id int PRIMARY KEY, name text);"
                  + " INSERT INTO customers VALUES (10, 'Ann'), (99, 'Cy')");
    }
    ctx.connection("warehouse", url);
    assertThatThrownBy(() ->
            check(
                "- relationships: {column: customer_id, to: customers, field: id, connection:"
                    + " warehouse}"))
        .hasMessageContaining(
            "  relationships(customer_id -> warehouse:customers.id): 1 failing row, e.g."
                + " {order_id=2, customer_id=11,");
    assertThatThrownBy(() ->
            check(
                "- relationships: {column: customer_id, to: clients, field: id, connection:"
                    + " warehouse}"))
        .hasMessageContaining("reading from connection 'warehouse' failed:")
        .hasMessageContaining("clients");
  }

  @Test
  void relationships_to_a_connection_table_need_a_plain_table_name() {
    assertThat(
            TestContext.problems(
                new QualityCheckTask(),
                """
                dataset: orders
                checks:
                  - relationships: {column: c, to: "customers; DROP TABLE x", field: id, connection: w}
                  - relationships: {column: c, to: crm.customers, field: "id)", connection: w}
                """))
        .containsExactly(
            "checks[0].relationships.to 'customers; DROP TABLE x' is not a table name; with a"
                + " connection, give a table as `customers` or `crm.customers`",
            "checks[1].relationships.field 'id)' is not a plain column name of table"
                + " 'crm.customers', e.g. `id`");
  }

  @Test
  void sql_check_fails_with_the_rows_the_query_returns() {
    assertThatThrownBy(() ->
            check(
                """
                - sql: |
                    SELECT o.order_id, o.customer_id FROM dataset o
                    LEFT JOIN customers c ON c.id = o.customer_id
                    WHERE c.id IS NULL;
                """))
        .hasMessageContaining(
            "  sql(SELECT o.order_id, o.customer_id FROM dataset o LEFT JOIN customers c ON c.id"
                + " =…): 2 failing rows, e.g. {order_id=3, customer_id=99}");
  }

  @Test
  void an_sql_check_that_cannot_run_names_the_views_it_can_read() {
    assertThatThrownBy(() -> check("- sql: SELECT * FROM order_lines"))
        .hasMessageStartingWith(
            "quality.check checks[0] sql(SELECT * FROM order_lines) could not run: Catalog Error:"
                + " Table with name order_lines does not exist")
        .hasMessageEndingWith("\nViews the query can read: [dataset, customers, orders]");
  }

  @Test
  void a_failed_run_still_stores_every_result() {
    assertThatThrownBy(() ->
        check(
            """
            - rowCount: {min: 1}
            - regex: {column: email, pattern: '^[^@]+@[^@]+$'}
              severity: warn
            - range: {column: amount, min: 0}
            """));
    assertThat(ctx.checks())
        .extracting(CheckRecord::kind, CheckRecord::passed, CheckRecord::severity)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("rowCount", true, "error"),
            org.assertj.core.groups.Tuple.tuple("regex", false, "warn"),
            org.assertj.core.groups.Tuple.tuple("range", false, "error"));
    assertThat(ctx.checks().getFirst().observed()).isEqualTo(4.0);
    assertThat(ctx.checks().get(2).failingRows()).isEqualTo(1);
  }

  @Test
  void relationships_to_a_later_or_unknown_task_is_declared_as_an_input() {
    var config =
        TestContext.bind(
            new QualityCheckTask(),
            new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(
                    Map.of(
                        "dataset",
                        "orders",
                        "checks",
                        List.of(
                            Map.of(
                                "relationships",
                                Map.of(
                                    "column", "customer_id", "to", "customers", "field", "id"))))));
    assertThat(new QualityCheckTask().datasetInputs(config)).containsExactly("orders", "customers");
  }

  @Test
  void bad_definitions_of_the_new_kinds_fail_validation() {
    assertThat(
            TestContext.problems(
                new QualityCheckTask(),
                """
                dataset: orders
                checks:
                  - freshness: {column: updated_at}
                  - freshness: {column: updated_at, maxAge: soon}
                  - range: {column: amount}
                  - range: {column: amount, min: 10, max: 1}
                  - regex: {column: email, pattern: '[a-'}
                  - relationships: {column: customer_id, to: customers}
                  - sql: "  "
                  - anomaly: {lookback: 10}
                  - anomaly: {metric: bytes, maxChangePercent: 50, lookback: 5, minHistory: 6}
                """))
        .containsExactly(
            "checks[0].freshness needs a column and a maxAge, e.g. `freshness: {column:"
                + " updated_at, maxAge: 6h}`",
            "checks[1].freshness.maxAge: 'soon' is not a duration; write it like 30s, 5m, 2h, 1d"
                + " or PT5M",
            "checks[2].range needs min, max or both, e.g. `range: {column: amount, min: 0}`",
            "checks[3].range min 10 is above max 1; no row can pass it",
            "checks[4].regex.pattern '[a-' is not a regular expression: Illegal character range"
                + " near index 3",
            "checks[5].relationships needs a column, the dataset it refers `to` and that"
                + " dataset's field, e.g. `relationships: {column: customer_id, to: customers,"
                + " field: id}`",
            "checks[6].sql is empty; give a query that returns the bad rows, e.g. `sql: SELECT *"
                + " FROM dataset WHERE shipped_on < ordered_on`",
            "checks[7].anomaly needs maxChangePercent, maxStdDevs or both, e.g. `anomaly:"
                + " {metric: rowCount, lookback: 10, maxChangePercent: 50}`",
            "checks[8].anomaly.metric 'bytes' is not known; the only metric is rowCount (the"
                + " default)",
            "checks[8].anomaly.minHistory must be 1 to lookback (5), got 6; e.g. `minHistory:"
                + " 3`");
  }
}
