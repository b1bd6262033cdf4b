package dev.weir.tasks.models;

import static dev.weir.tasks.models.JaffleShopDuckDbTest.rows;
import static dev.weir.tasks.models.ProjectRunnerDuckDbTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProjectRunner} on PostgreSQL: the jaffle shop end to end, an incremental merge, errors.
 */
class ProjectRunnerPostgresTest {
  @Test
  void the_jaffle_shop_builds_end_to_end_on_postgresql() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    String schema = TestDatabases.schemaOf(url);
    DbtProject p = DbtProject.load(Projects.path("jaffle_shop"));
    try (Connection c = DriverManager.getConnection(url)) {
      List<NodeResult> results = new ProjectRunner(p, options(p, schema), c).run(null, null);
      assertThat(results)
          .hasSize(3 + 5 + 20)
          .allSatisfy(r ->
              assertThat(r.status())
                  .as(r.name() + ": " + r.message())
                  .isEqualTo(NodeResult.Status.SUCCESS));
      assertThat(
              rows(
                  c,
                  "select column_name, data_type from information_schema.columns"
                      + " where table_schema = '"
                      + schema
                      + "' and table_name = 'raw_orders'"
                      + " order by ordinal_position"))
          .containsExactly("id|integer", "user_id|integer", "order_date|date", "status|text");
      assertThat(
              rows(
                  c,
                  "select customer_id, number_of_orders, customer_lifetime_value from \""
                      + schema
                      + "\".customers where customer_id = 1"))
          .containsExactly("1|3|53");
      assertThat(
              rows(
                  c,
                  "select table_name, table_type from information_schema.tables"
                      + " where table_schema = '"
                      + schema
                      + "' and table_name in ('stg_orders', 'orders')"
                      + " order by 1"))
          .containsExactly("orders|BASE TABLE", "stg_orders|VIEW");
      // again: seeds and tables replaced, views recreated
      assertThat(new ProjectRunner(p, options(p, schema), c).run(null, null))
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(NodeResult.Status.SUCCESS));
    }
  }

  @Test
  void an_incremental_model_merges_on_postgresql_and_a_sql_error_shows_its_line(@TempDir Path dir)
      throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    String schema = TestDatabases.schemaOf(url);
    Files.writeString(dir.resolve("dbt_project.yml"), "name: inc\n");
    Files.createDirectories(dir.resolve("models"));
    Files.createDirectories(dir.resolve("seeds"));
    Files.writeString(
        dir.resolve("seeds/events.csv"),
        "id,amount,updated_at\n1,10,2024-01-01 10:00:00\n2,20,2024-01-02 10:00:00\n"
            + "3,30,2024-01-03 10:00:00\n");
    Files.writeString(
        dir.resolve("models/totals.sql"),
        "{{ config(materialized='incremental', unique_key='id') }}\n"
            + "select id, amount, updated_at from {{ ref('events') }}\n"
            + "{% if is_incremental() %}\n"
            + "where updated_at > (select max(updated_at) from {{ this }})\n"
            + "{% endif %}\n");
    try (Connection c = DriverManager.getConnection(url)) {
      DbtProject p = DbtProject.load(dir);
      assertThat(new ProjectRunner(p, options(p, schema), c).run(null, null))
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(NodeResult.Status.SUCCESS));
      Files.writeString(
          dir.resolve("seeds/events.csv"),
          "id,amount,updated_at\n1,11,2024-01-01 10:00:00\n2,22,2024-02-02 10:00:00\n"
              + "3,30,2024-01-03 10:00:00\n4,40,2024-02-04 10:00:00\n");
      List<NodeResult> second = new ProjectRunner(p, options(p, schema), c).run(null, null);
      assertThat(second)
          .allSatisfy(r ->
              assertThat(r.status())
                  .as(r.name() + ": " + r.message())
                  .isEqualTo(NodeResult.Status.SUCCESS));
      assertThat(second.get(1).rows()).isEqualTo(2);
      assertThat(rows(c, "select id, amount from \"" + schema + "\".totals order by 1"))
          .containsExactly("1|10", "2|22", "3|30", "4|40");

      Files.writeString(
          dir.resolve("models/totals.sql"),
          "{{ config(materialized='table') }}\nselect id,\n  amount +\nfrom {{ ref('events') }}\n");
      List<NodeResult> broken =
          new ProjectRunner(DbtProject.load(dir), options(p, schema), c).run("totals", null);
      assertThat(broken.get(0).status()).isEqualTo(NodeResult.Status.ERROR);
      assertThat(broken.get(0).message())
          .startsWith("models/totals.sql:4: ")
          .contains("syntax error")
          .contains(">    4 | from");
      assertThat(status(broken, "totals")).isEqualTo(NodeResult.Status.ERROR);
      assertThat(rows(c, "select count(*) from \"" + schema + "\".totals")).containsExactly("4");
    }
  }

  @Test
  void a_view_whose_columns_change_is_replaced_on_postgresql(@TempDir Path dir) throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    String schema = TestDatabases.schemaOf(url);
    Files.writeString(dir.resolve("dbt_project.yml"), "name: v\n");
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(dir.resolve("models/v.sql"), "select 1 as a, 2 as b\n");
    try (Connection c = DriverManager.getConnection(url)) {
      DbtProject p = DbtProject.load(dir);
      new ProjectRunner(p, options(p, schema), c).run(null, null);
      Files.writeString(dir.resolve("models/v.sql"), "select 3 as c\n");
      p = DbtProject.load(dir);
      NodeResult r = new ProjectRunner(p, options(p, schema), c).run(null, null).get(0);
      assertThat(r.status()).as(r.message()).isEqualTo(NodeResult.Status.SUCCESS);
      assertThat(rows(c, "select * from \"" + schema + "\".v")).containsExactly("3");
    }
  }

  @Test
  void a_view_that_a_cascading_drop_removed_can_become_a_table_in_the_same_run(@TempDir Path dir)
      throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    String schema = TestDatabases.schemaOf(url);
    Files.writeString(dir.resolve("dbt_project.yml"), "name: c\n");
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(
        dir.resolve("models/t.sql"), "{{ config(materialized='table') }}\nselect 1 as x\n");
    Files.writeString(dir.resolve("models/v.sql"), "select x from {{ ref('t') }}\n");
    try (Connection c = DriverManager.getConnection(url)) {
      DbtProject p = DbtProject.load(dir);
      assertThat(new ProjectRunner(p, options(p, schema), c).run(null, null))
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(NodeResult.Status.SUCCESS));
      // t's swap drops v (cascade) after the run's cache listed it as a view
      Files.writeString(
          dir.resolve("models/v.sql"),
          "{{ config(materialized='table') }}\nselect x from {{ ref('t') }}\n");
      p = DbtProject.load(dir);
      assertThat(new ProjectRunner(p, options(p, schema), c).run(null, null))
          .allSatisfy(r ->
              assertThat(r.status())
                  .as(r.name() + ": " + r.message())
                  .isEqualTo(NodeResult.Status.SUCCESS));
      assertThat(
              rows(
                  c,
                  "select table_name, table_type from information_schema.tables"
                      + " where table_schema = '"
                      + schema
                      + "' order by 1"))
          .containsExactly("t|BASE TABLE", "v|BASE TABLE");
    }
  }

  private static CompileOptions options(DbtProject p, String schema) {
    return CompileOptions.defaults(p).withTarget(new Target("ci", schema, Target.Dialect.POSTGRES));
  }
}
