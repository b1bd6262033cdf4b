package dev.weir.tasks.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.TestFiles;
import dev.weir.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sql.models task on the jaffle shop, a DuckDB file its warehouse. */
class SqlModelsTaskTest {
  @TempDir Path dir;

  private TestContext context() {
    return new TestContext(dir)
        .connection("warehouse", "jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
  }

  private Path project(String name) throws IOException {
    Path to = dir.resolve(name);
    TestFiles.copyTree(Projects.path(name), to);
    return to;
  }

  @Test
  void the_jaffle_shop_builds_and_its_tests_are_stored_as_checks() throws Exception {
    project("jaffle_shop");
    TestContext context = context();

    TaskResult r =
        context.run(
            "transform",
            new SqlModelsTask(),
            "project: jaffle_shop\ntarget: {connection: warehouse, schema: analytics}\n");

    assertThat(r.outputs())
        .containsEntry("models", 5L)
        .containsEntry("seeds", 3L)
        .containsEntry("tests", 20L)
        .containsEntry("failed", 0L)
        .containsEntry("skipped", 0L);
    assertThat(context.checks()).hasSize(20).allMatch(c -> c.passed());
    assertThat(context.log()).anyMatch(l -> l.contains("done: 5 models, 3 seeds, 20 tests"));
    assertThat(rows("select count(*) from analytics.customers")).containsExactly("10");
  }

  @Test
  void a_failing_model_fails_the_task_naming_its_file_and_skips_what_is_downstream()
      throws Exception {
    Path p = project("jaffle_shop");
    Files.writeString(
        p.resolve("models/staging/stg_orders.sql"),
        "select id as order_id,\n  user_id as customer_id,\n  no_such_column\nfrom {{"
            + " ref('raw_orders') }}\n");
    TestContext context = context();

    assertThatThrownBy(() ->
            context.run(
                "transform",
                new SqlModelsTask(),
                "project: jaffle_shop\ntarget: {connection: warehouse, schema: analytics}\n"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("1 node failed")
        .hasMessageContaining("model stg_orders")
        .hasMessageContaining("models/staging/stg_orders.sql")
        .hasMessageContaining("no_such_column")
        .satisfies(e -> {
          var outputs = ((TaskFailedException) e).outputs();
          assertThat(outputs).containsEntry("failed", 1L);
          assertThat((Long) outputs.get("skipped")).isPositive();
        });
  }

  @Test
  void a_model_that_does_not_render_fails_the_task_after_what_it_logged() throws Exception {
    Path p = project("jaffle_shop");
    Files.writeString(
        p.resolve("models/staging/stg_orders.sql"),
        "{{ log('staging orders', info=True) }}\nselect {{ order_columns }}\nfrom {{"
            + " ref('raw_orders') }}\n{{ log('not said', info=True) }}\n");
    TestContext context = context();

    assertThatThrownBy(() ->
            context.run(
                "transform",
                new SqlModelsTask(),
                "project: jaffle_shop\ntarget: {connection: warehouse, schema: analytics}\n"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("models/staging/stg_orders.sql:2: 'order_columns' is undefined");
    assertThat(context.log())
        .anyMatch(l -> l.contains("INFO staging orders"))
        .noneMatch(l -> l.contains("not said"));
  }

  @Test
  void the_jaffle_shop_builds_on_postgresql_with_no_more_threads_than_the_pool_allows()
      throws Exception {
    project("jaffle_shop");
    String url = dev.weir.testing.TestDatabases.freshPostgresSchemaUrl();
    String schema = TestDatabases.schemaOf(url);
    TestContext context =
        new TestContext(dir)
            .connection(
                new dev.weir.config.ConnectionConfig(
                    "pg", "jdbc", url, null, null, java.util.Map.of(), 2, java.util.Map.of()));

    TaskResult r =
        context.run(
            "transform",
            new SqlModelsTask(),
            "project: jaffle_shop\ntarget: {connection: pg, schema: " + schema + "}\nthreads: 4\n");

    assertThat(r.outputs()).containsEntry("failed", 0L).containsEntry("succeeded", 28L);
    assertThat(context.log())
        .anyMatch(l -> l.contains("threads: 4 is more than connection 'pg' allows (poolSize: 2)"))
        .anyMatch(l -> l.contains("on postgres, 2 nodes at once"));
    try (var c = DriverManager.getConnection(url);
        var rs =
            c.createStatement().executeQuery("select count(*) from \"" + schema + "\".customers")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(10);
    }
  }

  @Test
  void select_vars_and_full_refresh_reach_the_project() throws Exception {
    project("shop_plus");
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"))) {
      ShopPlus.sources(c, false);
    }
    TestContext context = context().env("WEIR_TEST_REGION", "emea");
    String task = "project: shop_plus\ntarget: {connection: warehouse, schema: analytics}\n";

    // eagerly, as dbt: the relationships test from fct_orders to customers (not built) fails
    assertThatThrownBy(() ->
            context.run(
                "transform",
                new SqlModelsTask(),
                task + "select: \"+fct_orders\"\nvars: {start_date: '2024-02-02'}\n"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("1 node failed")
        .hasMessageContaining("relationships on fct_orders.customer_id")
        .hasMessageContaining("Table with name customers does not exist");
    TaskResult r =
        context.run(
            "transform",
            new SqlModelsTask(),
            task
                + "select: \"+fct_orders\"\nvars: {start_date: '2024-02-02'}\n"
                + "indirectSelection: cautious\n");
    assertThat(r.outputs()).containsEntry("failed", 0L).containsEntry("models", 2L);
    assertThat(rows("select order_id from analytics_marts.fct_orders order by 1"))
        .containsExactly("2", "3");
    assertThat(
            rows(
                "select count(*) from information_schema.tables where table_schema = 'analytics_marts' and table_name = 'customers'"))
        .containsExactly("0");

    try (var c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"))) {
      ShopPlus.change(c);
    }
    context.run(
        "transform",
        new SqlModelsTask(),
        task + "select: \"+fct_orders\"\nindirectSelection: cautious\n");
    // merged: order 2 changed, 4 is new; order 1, left out by the first run's start_date and
    // not newer than what is there, stays out until a full refresh
    assertThat(rows("select order_id || ':' || amount from analytics_marts.fct_orders order by 1"))
        .containsExactly(
            "2:300.0", "3:5.0", "4:7.0"); // merged: order 1 changed without a newer updated_at
    context.run(
        "transform",
        new SqlModelsTask(),
        task + "select: \"+fct_orders\"\nfullRefresh: true\nindirectSelection: cautious\n");
    assertThat(rows("select amount from analytics_marts.fct_orders where order_id = 1"))
        .containsExactly("11.0");
  }

  @Test
  void a_model_that_refs_an_unknown_model_fails_at_once_naming_its_file() throws Exception {
    Path p = project("jaffle_shop");
    Files.writeString(
        p.resolve("models/staging/stg_orders.sql"), "select * from {{ ref('raw_orderz') }}\n");

    assertThatThrownBy(() ->
            context()
                .run(
                    "transform",
                    new SqlModelsTask(),
                    "project: jaffle_shop\ntarget: {connection: warehouse, schema: analytics}\n"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("models/staging/stg_orders.sql")
        .hasMessageContaining("raw_orderz")
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse());
  }

  @Test
  void a_missing_project_and_a_database_models_cannot_run_on_are_named() throws Exception {
    assertThatThrownBy(() ->
            context()
                .run(
                    "transform",
                    new SqlModelsTask(),
                    "project: nowhere\ntarget: {connection: warehouse, schema: analytics}\n"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("no dbt_project.yml in")
        .hasMessageContaining("nowhere");

    project("jaffle_shop");
    TestContext mariadb =
        new TestContext(dir).connection("maria", "jdbc:mariadb://127.0.0.1:1/nothing");
    assertThatThrownBy(() ->
            mariadb.run(
                "transform",
                new SqlModelsTask(),
                "project: jaffle_shop\ntarget: {connection: maria, schema: analytics}\n"))
        .hasMessageContaining("DuckDB or PostgreSQL")
        .hasMessageContaining("'maria'");
  }

  @Test
  void threads_out_of_range_is_a_validation_problem() {
    assertThat(
            TestContext.problems(
                new SqlModelsTask(),
                "project: p\ntarget: {connection: w, schema: s}\nthreads: 0\n"))
        .anyMatch(p -> p.contains("threads must be between 1 and 64"));
  }

  private List<String> rows(String sql) throws SQLException {
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
        var rs = c.createStatement().executeQuery(sql)) {
      var out = new ArrayList<String>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}
