package dev.weir.tasks.models;

import static dev.weir.tasks.models.JaffleShopDuckDbTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProjectRunner} builds projects on DuckDB: seeds, materializations, tests, skipping. */
class ProjectRunnerDuckDbTest {
  @Test
  void the_jaffle_shop_builds_end_to_end_with_typed_seeds_and_passing_tests() throws SQLException {
    DbtProject p = DbtProject.load(Projects.path("jaffle_shop"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      List<NodeResult> results =
          new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null);
      assertThat(results)
          .allSatisfy(r ->
              assertThat(r.status())
                  .as(r.name() + ": " + r.message())
                  .isEqualTo(NodeResult.Status.SUCCESS));
      assertThat(results).filteredOn(r -> r.type() == GraphNode.Type.TEST).hasSize(20);
      assertThat(results.stream().map(NodeResult::name).toList())
          .startsWith("raw_customers")
          .containsSubsequence("stg_orders", "unique_stg_orders_order_id", "orders");
      assertThat(results)
          .filteredOn(r -> r.name().equals("raw_orders"))
          .singleElement()
          .extracting(NodeResult::rows)
          .isEqualTo(14L);
      assertThat(
              rows(
                  c,
                  "select column_name, data_type from information_schema.columns"
                      + " where table_name = 'raw_orders' order by ordinal_position"))
          .containsExactly("id|INTEGER", "user_id|INTEGER", "order_date|DATE", "status|VARCHAR");
      assertThat(
              rows(
                  c,
                  "select customer_id, first_name, number_of_orders, first_order,"
                      + " most_recent_order, customer_lifetime_value from main.customers"
                      + " where customer_id in (1, 4) order by 1"))
          .containsExactly("1|Michael|3|2018-01-01|2018-01-14|53.0", "4|Jimmy|null|null|null|null");
      assertThat(
              rows(
                  c,
                  "select table_name, table_type from information_schema.tables"
                      + " where table_name in ('stg_orders', 'orders') order by 1"))
          .containsExactly("orders|BASE TABLE", "stg_orders|VIEW");
      // a second run replaces every seed and table in place
      assertThat(new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null))
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(NodeResult.Status.SUCCESS));
      assertThat(rows(c, "select count(*) from main.raw_orders")).containsExactly("14");
    }
  }

  @Test
  void seed_types_are_inferred_as_agate_does() {
    assertThat(SeedTypes.infer(List.of("1", "", "-3"))).isEqualTo("integer");
    assertThat(SeedTypes.infer(List.of("1", "30000000000"))).isEqualTo("bigint");
    assertThat(SeedTypes.infer(List.of("1.5", "20", "-0.25"))).isEqualTo("decimal(4,2)");
    assertThat(SeedTypes.infer(List.of("true", "False"))).isEqualTo("boolean");
    assertThat(SeedTypes.infer(List.of("2024-01-02"))).isEqualTo("date");
    assertThat(SeedTypes.infer(List.of("2024-01-02 10:00:00", "2024-01-03T11:00")))
        .isEqualTo("timestamp");
    assertThat(SeedTypes.infer(List.of("1", "x"))).isEqualTo("text");
    assertThat(SeedTypes.infer(List.of("", ""))).isEqualTo("text");
  }

  @Test
  void an_incremental_model_merges_its_new_and_changed_rows_on_the_second_run()
      throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      ShopPlus.sources(c, false);
      List<NodeResult> first = ShopPlus.run(c, null);
      assertThat(first)
          .allSatisfy(r ->
              assertThat(r.status())
                  .as(r.name() + ": " + r.message())
                  .isEqualTo(NodeResult.Status.SUCCESS));
      assertThat(
              rows(
                  c,
                  "select column_name, data_type from information_schema.columns"
                      + " where table_name = 'country_codes' order by ordinal_position"))
          .containsExactly("code|VARCHAR", "name|VARCHAR");
      ShopPlus.change(c);
      List<NodeResult> second = ShopPlus.run(c, null);
      assertThat(second)
          .filteredOn(r -> r.name().equals("fct_orders"))
          .singleElement()
          .satisfies(r -> {
            assertThat(r.status()).isEqualTo(NodeResult.Status.SUCCESS);
            assertThat(r.rows()).isEqualTo(2);
            assertThat(r.sql()).contains("where o.updated_at > (select max(updated_at)");
          });
      assertThat(rows(c, "select order_id, amount from main_marts.fct_orders order by 1"))
          .containsExactly("1|10.0", "2|300.0", "3|5.0", "4|7.0");
      // a full refresh rebuilds it from all rows
      DbtProject p = DbtProject.load(Projects.path("shop_plus"));
      var full =
          new CompileOptions(
              p.name(),
              Target.duckdb("main"),
              Map.of(),
              false,
              true,
              Map.of("WEIR_TEST_REGION", "emea")::get);
      new ProjectRunner(p, full, c).run("fct_orders", null);
      assertThat(rows(c, "select order_id, amount from main_marts.fct_orders order by 1"))
          .containsExactly("1|11.0", "2|300.0", "3|5.0", "4|7.0");
    }
  }

  @Test
  void a_failing_error_test_skips_the_models_downstream_and_a_warn_test_does_not()
      throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      ShopPlus.sources(c, true);
      List<NodeResult> results = ShopPlus.run(c, null);
      assertThat(status(results, "assert_no_negative_amounts")).isEqualTo(NodeResult.Status.ERROR);
      assertThat(results)
          .filteredOn(r -> r.name().equals("assert_no_negative_amounts"))
          .singleElement()
          .extracting(NodeResult::rows)
          .isEqualTo(1L);
      assertThat(status(results, "dim_customers")).isEqualTo(NodeResult.Status.SKIPPED);
      assertThat(
              rows(
                  c,
                  "select count(*) from information_schema.tables"
                      + " where table_schema = 'main' and table_name = 'customers'"))
          .containsExactly("0");

      c.createStatement()
          .execute(
              "update raw.shop_orders set amount_cents = 100,"
                  + " updated_at = '2024-03-05 10:00' where id = 5");
      results = ShopPlus.run(c, null);
      String rel = "relationships_fct_orders_0c6c6d9e6f30dfb9b653557ebf38e47c";
      assertThat(status(results, rel)).isEqualTo(NodeResult.Status.WARN);
      assertThat(status(results, "dim_customers")).isEqualTo(NodeResult.Status.SUCCESS);
      assertThat(results).noneMatch(r -> r.status() == NodeResult.Status.SKIPPED);
    }
  }

  @Test
  void a_sql_error_names_the_model_file_and_line_and_shows_the_sql(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("dbt_project.yml"),
        "name: broken\nmodels:\n  broken:\n    +materialized: table\n");
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(dir.resolve("models/good.sql"), "select 1 as x\nunion all select 2\n");
    Files.writeString(dir.resolve("models/after.sql"), "select * from {{ ref('good') }}\n");
    DbtProject p = DbtProject.load(dir);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      assertThat(new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null))
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(NodeResult.Status.SUCCESS));
      Files.writeString(
          dir.resolve("models/good.sql"), "{# a comment #}\nselect 1 as x\nfrom no_such_table\n");
      p = DbtProject.load(dir);
      List<NodeResult> results =
          new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null);
      NodeResult bad = results.get(0);
      assertThat(bad.status()).isEqualTo(NodeResult.Status.ERROR);
      assertThat(bad.message())
          .startsWith("models/good.sql:3: ")
          .contains("no_such_table")
          .contains(">    3 | from no_such_table");
      assertThat(status(results, "after")).isEqualTo(NodeResult.Status.SKIPPED);
      // the failed rebuild left the old table in place, with its rows
      assertThat(rows(c, "select x from main.good order by 1")).containsExactly("1", "2");
    }
  }

  @Test
  void a_new_column_in_an_incremental_model_fails_unless_on_schema_change_allows_it(
      @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("dbt_project.yml"), "name: inc\n");
    Files.createDirectories(dir.resolve("models"));
    Path model = dir.resolve("models/inc.sql");
    Files.writeString(
        model,
        "{{ config(materialized='incremental', unique_key='id') }}\n"
            + "select 1 as id, 'a' as v\n");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      DbtProject p = DbtProject.load(dir);
      new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null);
      Files.writeString(
          model,
          "{{ config(materialized='incremental', unique_key='id') }}\n"
              + "select 1 as id, 'b' as v, 2 as extra\n");
      p = DbtProject.load(dir);
      NodeResult r = new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null).get(0);
      assertThat(r.status()).isEqualTo(NodeResult.Status.ERROR);
      assertThat(r.message())
          .startsWith("models/inc.sql:1: incremental model inc has a new column" + " 'extra'")
          .contains("on_schema_change");
      Files.writeString(
          model,
          "{{ config(materialized='incremental', unique_key='id',"
              + " on_schema_change='append_new_columns') }}\nselect 1 as id, 'b' as v, 2 as extra\n");
      p = DbtProject.load(dir);
      r = new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null).get(0);
      assertThat(r.status()).as(r.message()).isEqualTo(NodeResult.Status.SUCCESS);
      assertThat(rows(c, "select id, v, extra from main.inc")).containsExactly("1|b|2");
    }
  }

  @Test
  void a_model_that_fails_to_compile_keeps_what_it_logged_before_in_its_result(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("dbt_project.yml"), "name: inc\n");
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(
        dir.resolve("models/inc.sql"),
        "{{ config(materialized='incremental', unique_key='id') }}\n"
            + "{{ log('building ' ~ this, info=True) }}\n"
            + "select 1 as id\n"
            + "{% if is_incremental() %}{{ log('incrementally', info=True) }}"
            + "where id > {{ since }}{{ log('never said') }}{% endif %}\n");
    Files.writeString(dir.resolve("models/after.sql"), "select * from {{ ref('inc') }}\n");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      DbtProject p = DbtProject.load(dir);
      NodeResult first = new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null).get(0);
      assertThat(first.status()).as(first.message()).isEqualTo(NodeResult.Status.SUCCESS);
      assertThat(first.logged())
          .containsExactly(new CompiledModel.LogCall("building \"main\".\"inc\"", true));

      // the incremental run compiles the branch, where `since` is undefined
      List<NodeResult> results =
          new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null);
      NodeResult inc = results.get(0);
      assertThat(inc.status()).isEqualTo(NodeResult.Status.ERROR);
      assertThat(inc.message()).startsWith("models/inc.sql:4: 'since' is undefined");
      assertThat(inc.logged())
          .containsExactly(
              new CompiledModel.LogCall("building \"main\".\"inc\"", true),
              new CompiledModel.LogCall("incrementally", true));
      assertThat(status(results, "after")).isEqualTo(NodeResult.Status.SKIPPED);
    }
  }

  @Test
  void a_model_that_fails_to_build_after_compiling_keeps_what_it_logged(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("dbt_project.yml"), "name: m\n");
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(
        dir.resolve("models/m.sql"),
        "{{ config(materialized='snapshot') }}{{ log('hello', info=True) }}select 1 as id\n");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      DbtProject p = DbtProject.load(dir);
      NodeResult r = new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null).get(0);
      assertThat(r.status()).isEqualTo(NodeResult.Status.ERROR);
      assertThat(r.message()).contains("materialized='snapshot' is not supported");
      assertThat(r.logged()).containsExactly(new CompiledModel.LogCall("hello", true));
    }
  }

  @Test
  void a_seed_loads_quoted_cells_empty_cells_as_null_and_each_inferred_type(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("dbt_project.yml"),
        "name: s\nseeds:\n  s:\n    things:\n      +column_types:\n        code: varchar(3)\n");
    Files.createDirectories(dir.resolve("seeds"));
    Files.writeString(
        dir.resolve("seeds/things.csv"),
        "id,big,price,ok,day,at,note,code,empty\r\n"
            + "1,30000000000,1.25,true,2024-01-31,2024-01-31 10:00:00,\"a, \"\"quoted\"\" note\",007,\r\n"
            + "2,,-3,false,,2024-02-01T11:30:00,,12,\r\n");
    DbtProject p = DbtProject.load(dir);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      NodeResult r = new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null).get(0);
      assertThat(r.status()).as(r.message()).isEqualTo(NodeResult.Status.SUCCESS);
      assertThat(r.rows()).isEqualTo(2);
      assertThat(
              rows(
                  c,
                  "select column_name, data_type from information_schema.columns"
                      + " where table_name = 'things' order by ordinal_position"))
          .containsExactly(
              "id|INTEGER",
              "big|BIGINT",
              "price|DECIMAL(3,2)",
              "ok|BOOLEAN",
              "day|DATE",
              "at|TIMESTAMP",
              "note|VARCHAR",
              "code|VARCHAR",
              "empty|VARCHAR");
      assertThat(rows(c, "select * from main.things order by id"))
          .containsExactly(
              "1|30000000000|1.25|true|2024-01-31|2024-01-31 10:00:00.0|a, \"quoted\" note|007|null",
              "2|null|-3.00|false|null|2024-02-01 11:30:00.0|null|12|null");
    }
  }

  static NodeResult.Status status(List<NodeResult> results, String name) {
    return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().status();
  }
}
