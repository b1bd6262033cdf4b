package dev.weir.tasks.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a broken project reports: the file, the line, what is wrong and how to fix it. */
class ModelsErrorsTest {
  @TempDir Path dir;

  private Path project(Map<String, String> files) throws IOException {
    Files.writeString(dir.resolve("dbt_project.yml"), "name: broken\nconfig-version: 2\n");
    for (var e : files.entrySet()) {
      Path f = dir.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue());
    }
    return dir;
  }

  private ModelCompiler compiler(Map<String, String> files) throws IOException {
    DbtProject p = DbtProject.load(project(files));
    return new ModelCompiler(p, CompileOptions.defaults(p).withEnv(k -> null));
  }

  @Test
  void an_unknown_ref_names_the_file_the_line_and_close_names() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/stg_orders.sql", "select 1 as id",
                    "models/orders.sql", "-- orders\nselect *\nfrom {{ ref('stg_order') }}\n")))
        .isInstanceOf(ModelsException.class)
        .hasMessage(
            "models/orders.sql:3: ref('stg_order'): no model or seed named 'stg_order';"
                + " did you mean stg_orders? (a model is a .sql file under the model paths, a seed a"
                + " .csv under the seed paths)");
  }

  @Test
  void a_cycle_is_refused_naming_its_models() throws IOException {
    ModelCompiler c =
        compiler(
            Map.of(
                "models/a.sql", "select * from {{ ref('c') }}",
                "models/b.sql", "select * from {{ ref('a') }}",
                "models/c.sql", "select * from {{ ref('b') }}"));
    assertThatThrownBy(c::graph)
        .hasMessageStartingWith("models/a.sql: models form a cycle: a → b → c → a")
        .hasMessageContaining("remove one of these ref() calls");
    assertThatThrownBy(() -> c.compile("a")).hasMessageContaining("models form a cycle");
  }

  @Test
  void malformed_yaml_points_at_its_line() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/schema.yml",
                    "version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n     tests: [unique]\n")))
        .isInstanceOf(ModelsException.class)
        .hasMessage(
            "models/schema.yml:6:6: indentation: `tests:` is indented 5 spaces, its"
                + " siblings 4; align it with `columns:` on line 4");
  }

  @Test
  void an_unsupported_generic_test_says_what_to_write_instead() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/orders.sql",
                    "select 1 as id",
                    "models/schema.yml",
                    "version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n"
                        + "        tests:\n          - dbt_utils.not_empty_string\n")))
        .hasMessageStartingWith("models/schema.yml:7:")
        .hasMessageContaining(
            "generic test 'dbt_utils.not_empty_string' is not supported"
                + " (supported: not_null, unique, accepted_values, relationships); write it as a"
                + " singular test");
  }

  @Test
  void a_dbt_package_macro_is_refused_at_its_line() {
    assertThatThrownBy(() ->
            compiler(
                Map.of("models/orders.sql", "select\n  {{ dbt_utils.star(ref('x')) }}\nfrom t")))
        .hasMessage(
            "models/orders.sql:2: dbt_utils.star: dbt packages (dbt_utils) are not"
                + " supported; copy the macro you need into macros/ or write the SQL in the model");
  }

  @Test
  void an_unknown_macro_is_an_error_not_an_empty_string() {
    assertThatThrownBy(() ->
            compiler(
                Map.of("models/orders.sql", "select\n\n  {{ cents_to_dolars('amount') }}\nfrom t")))
        .hasMessageStartingWith("models/orders.sql:3: unknown function or macro 'cents_to_dolars'");
  }

  @Test
  void an_undefined_name_fails_as_in_dbt_instead_of_rendering_nothing() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/orders.sql",
                    "{% set cols = ['a'] %}\nselect {{ cols | join(',') }}, {{ colums }} from t")))
        .hasMessage(
            "models/orders.sql:2: 'colums' is undefined; check the spelling, set it first with"
                + " {% set colums = … %}, or read a project variable with var('colums')");
  }

  @Test
  void a_dbt_block_tag_is_refused_at_its_line() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/snap.sql",
                    "-- a snapshot\n{% snapshot orders_snapshot %}\nselect 1\n{% endsnapshot %}")))
        .hasMessageStartingWith("models/snap.sql:2: ")
        .hasMessageContaining("not dbt's materialization, snapshot, test or docs blocks");
  }

  @Test
  void run_query_is_not_supported_yet() {
    assertThatThrownBy(() ->
            compiler(Map.of("models/orders.sql", "{% set r = run_query('select 1') %}\nselect 1")))
        .hasMessage(
            "models/orders.sql:1: run_query() is not supported yet: it needs the"
                + " database while compiling");
  }

  @Test
  void a_missing_env_var_without_default_names_the_model() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/orders.sql", "select '{{ env_var(\"WEIR_NOT_SET_ANYWHERE\") }}' as x")))
        .hasMessageStartingWith(
            "models/orders.sql:1: env_var('WEIR_NOT_SET_ANYWHERE'): the"
                + " environment variable WEIR_NOT_SET_ANYWHERE is not set and no default is given");
  }

  @Test
  void a_secret_env_var_is_refused_in_a_model() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/orders.sql",
                    "select '{{ env_var(\"DBT_ENV_SECRET_TOKEN\", \"x\") }}' as t")))
        .hasMessageStartingWith(
            "models/orders.sql:1: env_var('DBT_ENV_SECRET_TOKEN'): secret variables"
                + " (DBT_ENV_SECRET_…) cannot be used in models");
  }

  @Test
  void a_missing_var_says_where_to_set_it() {
    assertThatThrownBy(() ->
            compiler(
                Map.of("models/orders.sql", "select 1\nwhere d > '{{ var(\"start_date\") }}'")))
        .hasMessageStartingWith(
            "models/orders.sql:2: var('start_date') is not set; set it"
                + " under vars: in dbt_project.yml, pass it with --vars");
  }

  @Test
  void a_ref_to_a_disabled_model_says_it_is_disabled() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/old.sql", "{{ config(enabled=false) }}\nselect 1",
                    "models/new.sql", "select * from {{ ref('old') }}")))
        .hasMessageContaining(
            "models/new.sql:1: ref('old'): the model models/old.sql is"
                + " disabled (enabled: false)");
  }

  @Test
  void an_unknown_source_lists_the_declared_ones() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/src.yml",
                        "version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n",
                    "models/o.sql", "select * from {{ source('shop', 'order') }}")))
        .hasMessageContaining(
            "models/o.sql:1: source('shop', 'order'): no such source table;"
                + " did you mean shop.orders?");
  }

  @Test
  void a_jinja_syntax_error_has_the_line() {
    assertThatThrownBy(() -> compiler(Map.of("models/o.sql", "select 1\n{% if true %}\nfrom t\n")))
        .isInstanceOf(ModelsException.class)
        .hasMessageStartingWith("models/o.sql:");
  }

  @Test
  void a_missing_project_file_says_what_to_give() {
    assertThatThrownBy(() -> DbtProject.load(dir.resolve("nowhere")))
        .hasMessageContaining("no dbt_project.yml: give the folder of a dbt project");
  }

  @Test
  void two_models_of_one_name_are_refused() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/a/orders.sql", "select 1",
                    "models/b/orders.sql", "select 2")))
        .hasMessageContaining(
            "models/b/orders.sql:1: a second model named 'orders' (the first"
                + " is models/a/orders.sql)");
  }

  @Test
  void return_outside_a_macro_is_refused() {
    assertThatThrownBy(() -> compiler(Map.of("models/o.sql", "select 1 {{ return(1) }}")))
        .hasMessageContaining("return() outside a macro");
  }

  @Test
  void a_failure_in_a_macro_is_reported_not_swallowed() throws IOException {
    assertThat(dir).exists();
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "macros/m.sql",
                    "{# the start #}\n{% macro start() %}\n  {{ var('nope') }}\n{% endmacro %}",
                    "models/o.sql",
                    "select '{{ start() }}'")))
        .hasMessageStartingWith(
            "macros/m.sql:3: in macro start(), called from models/o.sql: var('nope') is not set");
  }

  @Test
  void what_a_model_logged_before_it_failed_to_render_comes_with_the_error_and_not_what_after() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/orders.sql",
                    "{{ log('building orders', info=True) }}{{ log('quietly') }}\n"
                        + "select {{ amount_column }} from t\n"
                        + "{{ log('never said', info=True) }}")))
        .isInstanceOfSatisfying(
            ModelsException.class,
            e -> {
              assertThat(e).hasMessageStartingWith("models/orders.sql:2: 'amount_column'");
              assertThat(e.logged())
                  .containsExactly(
                      new CompiledModel.LogCall("building orders", true),
                      new CompiledModel.LogCall("quietly", false));
            });
  }

  @Test
  void a_bad_ref_or_var_comes_with_what_the_model_logged_before_it() {
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/stg_orders.sql",
                    "select 1 as id",
                    "models/orders.sql",
                    "{{ log('before', info=True) }}select * from {{ ref('stg_order') }}"
                        + "{{ log('after', info=True) }}")))
        .isInstanceOfSatisfying(
            ModelsException.class,
            e -> {
              assertThat(e).hasMessageContaining("ref('stg_order'): no model or seed named");
              assertThat(e.logged()).containsExactly(new CompiledModel.LogCall("before", true));
            });
    assertThatThrownBy(() ->
            compiler(
                Map.of(
                    "models/orders.sql",
                    "{{ log('since?', info=True) }}select {{ var('since') }}{{ log('x') }}")))
        .isInstanceOfSatisfying(
            ModelsException.class,
            e -> {
              assertThat(e).hasMessageContaining("var('since') is not set");
              assertThat(e.logged()).containsExactly(new CompiledModel.LogCall("since?", true));
            });
  }

  @Test
  void a_model_that_fails_only_in_the_second_pass_comes_with_what_that_pass_logged()
      throws IOException {
    ModelCompiler c =
        compiler(
            Map.of(
                "models/orders.sql",
                "{{ config(alias='orders_v2') }}{{ log('as ' ~ this.identifier, info=True) }}\n"
                    + "select 1 as id\n"
                    + "{% if this.identifier == 'orders_v2' %}{{ nope }}{% endif %}\n"));
    assertThatThrownBy(() -> c.compile("orders"))
        .isInstanceOfSatisfying(
            ModelsException.class,
            e -> {
              assertThat(e).hasMessageStartingWith("models/orders.sql:3: 'nope' is undefined");
              assertThat(e.logged())
                  .containsExactly(new CompiledModel.LogCall("as orders_v2", true));
            });
  }
}
