package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCliTest {
  @TempDir Path project;

  @BeforeEach
  void a_small_dbt_project() throws IOException {
    Files.writeString(
        project.resolve("dbt_project.yml"),
        "name: mini\nmodels:\n  mini:\n    marts:\n      +materialized: table\n      +tags: [daily]\n");
    Files.createDirectories(project.resolve("models/staging"));
    Files.createDirectories(project.resolve("models/marts"));
    Files.createDirectories(project.resolve("seeds"));
    Files.writeString(project.resolve("seeds/raw_orders.csv"), "id,amount\n1,10\n");
    Files.writeString(
        project.resolve("models/staging/stg_orders.sql"),
        "select id as order_id, amount from {{ ref('raw_orders') }}\n"
            + "where amount > {{ var('min', 0) }}\n");
    Files.writeString(
        project.resolve("models/marts/orders.sql"), "select * from {{ ref('stg_orders') }}\n");
    Files.writeString(
        project.resolve("models/marts/schema.yml"),
        "version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: order_id\n"
            + "        tests: [unique]\n");
  }

  @Test
  void ls_lists_the_selected_nodes_in_dag_order_with_their_materialization() {
    Cli.Result r = Cli.run("models", "ls", project.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().map(l -> l.replaceAll("\\s+", " ").strip()))
        .containsExactly(
            "seed raw_orders seed seeds/raw_orders.csv",
            "model stg_orders view models/staging/stg_orders.sql",
            "model orders table models/marts/orders.sql",
            "test unique_orders_order_id test models/marts/schema.yml");
    Cli.Result tagged =
        Cli.run(
            "models",
            "ls",
            project.toString(),
            "--select",
            "tag:daily",
            "--exclude",
            "resource_type:test");
    assertThat(tagged.out().lines().map(l -> l.replaceAll("\\s+", " ").strip()))
        .containsExactly("model orders table models/marts/orders.sql");
  }

  @Test
  void compile_prints_each_selected_model_under_a_header() {
    Cli.Result r =
        Cli.run(
            "models",
            "compile",
            project.toString(),
            "-s",
            "+orders",
            "--target-schema",
            "analytics",
            "--dialect",
            "postgres",
            "--vars",
            "{min: 5}");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "-- stg_orders: models/staging/stg_orders.sql (view → \"analytics\".\"stg_orders\")\n"
                + "select id as order_id, amount from \"analytics\".\"raw_orders\"\n"
                + "where amount > 5\n\n"
                + "-- orders: models/marts/orders.sql (table → \"analytics\".\"orders\")\n"
                + "select * from \"analytics\".\"stg_orders\"\n\n");
    assertThat(r.err()).isEqualTo("2 models compiled\n");
  }

  @Test
  void compile_with_tests_prints_the_queries_of_the_selected_tests_too() {
    Cli.Result r = Cli.run("models", "compile", project.toString(), "-s", "orders", "--tests");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("-- orders: models/marts/orders.sql (table → \"main\".\"orders\")")
        .contains(
            "-- test unique_orders_order_id: models/marts/schema.yml\n"
                + "-- unique: the values of order_id found more than once\n"
                + "select order_id as unique_field, count(*) as n_records\n"
                + "from \"main\".\"orders\"");
    assertThat(r.err()).isEqualTo("1 model and 1 test compiled\n");
  }

  @Test
  void a_broken_model_is_a_plain_error_with_its_file_and_line() throws IOException {
    Files.writeString(
        project.resolve("models/marts/orders.sql"), "select *\nfrom {{ ref('stg_order') }}\n");
    Cli.Result r = Cli.run("models", "compile", project.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith(
            "error: models/marts/orders.sql:2: ref('stg_order'): no model"
                + " or seed named 'stg_order'; did you mean stg_orders, raw_orders?");
  }

  @Test
  void a_broken_model_prints_what_it_logged_before_the_error() throws IOException {
    Files.writeString(
        project.resolve("models/marts/orders.sql"),
        "{{ log('orders: start', info=True) }}{{ log('debug only') }}\n"
            + "select * from {{ ref('stg_order') }}\n{{ log('not said', info=True) }}\n");
    Cli.Result r = Cli.run("models", "compile", project.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("orders: start\nerror: models/marts/orders.sql:2: ref('stg_order'): no model")
        .doesNotContain("debug only")
        .doesNotContain("not said");
  }

  @Test
  void bad_options_say_what_to_give() {
    assertThat(Cli.run("models", "ls", project.toString(), "--vars", "[1]").err())
        .contains("error: --vars: give a mapping, e.g. --vars '{start_date: 2024-01-01}'");
    assertThat(Cli.run("models", "ls", project.toString(), "--dialect", "oracle").err())
        .contains("error: --dialect: unknown dialect 'oracle'; give duckdb or postgres");
    assertThat(Cli.run("models", "ls", project.toString(), "-s", "state:modified").err())
        .contains("error: --select/--exclude: selector method 'state:' is not supported");
  }
}
