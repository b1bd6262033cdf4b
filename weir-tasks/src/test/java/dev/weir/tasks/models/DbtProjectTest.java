package dev.weir.tasks.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DbtProjectTest {
  private static final DbtProject PLUS = DbtProject.load(Projects.path("shop_plus"));
  private static final DbtProject JAFFLE = DbtProject.load(Projects.path("jaffle_shop"));

  @Test
  void reads_the_files_of_the_project() {
    assertThat(PLUS.name()).isEqualTo("shop_plus");
    assertThat(PLUS.models())
        .extracting(ModelFile::path)
        .containsExactly(
            "models/legacy/old_orders.sql",
            "models/marts/dim_customers.sql",
            "models/marts/fct_orders.sql",
            "models/staging/int_order_flags.sql",
            "models/staging/stg_shop_customers.sql",
            "models/staging/stg_shop_orders.sql");
    assertThat(PLUS.seeds()).extracting(SeedFile::name).containsExactly("country_codes");
    assertThat(PLUS.singularTests())
        .extracting(SingularTest::path)
        .containsExactly("tests/assert_no_negative_amounts.sql");
    assertThat(PLUS.macros())
        .extracting(MacroFile::path)
        .containsExactly("macros/cents_to_dollars.sql", "macros/statuses.sql");
    assertThat(PLUS.sources())
        .extracting(SourceTable::qualifiedName, SourceTable::schema, SourceTable::identifier)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("shop.orders", "raw", "shop_orders"),
            org.assertj.core.groups.Tuple.tuple("shop.customers", "raw", "customers"));
    assertThat(PLUS.vars())
        .containsEntry("start_date", "2024-01-01")
        .containsEntry("excluded_statuses", java.util.List.of("cancelled", "test"));
  }

  @Test
  void folder_config_nests_by_project_and_folder_and_tags_add_up() {
    NodeConfig fct = PLUS.model("fct_orders").config();
    assertThat(fct.materialized()).isEqualTo("table"); // config() in the model comes later
    assertThat(fct.schema()).isEqualTo("marts");
    assertThat(fct.tags()).containsExactly("daily");
    NodeConfig dim = PLUS.model("dim_customers").config();
    assertThat(dim.tags()).containsExactly("daily", "core"); // + the YAML's config
    assertThat(PLUS.model("old_orders").config().isEnabled()).isFalse();
    assertThat(PLUS.model("stg_shop_orders").config().materializedOrDefault()).isEqualTo("view");
    // bare keys (no +) are config too, as in the jaffle shop
    assertThat(JAFFLE.model("customers").config().materialized()).isEqualTo("table");
    assertThat(JAFFLE.model("stg_orders").config().materialized()).isEqualTo("view");
  }

  @Test
  void the_config_call_in_a_model_wins_and_adds_its_tags() {
    ModelCompiler c = Projects.compiler("shop_plus");
    NodeConfig fct = c.parsed().get("fct_orders").config();
    assertThat(fct.materialized()).isEqualTo("incremental");
    assertThat(fct.uniqueKey()).isEqualTo("order_id");
    assertThat(fct.tags()).containsExactly("daily", "finance");
    assertThat(c.compile("dim_customers").relation().toString())
        .isEqualTo("\"main_marts\".\"customers\"");
    assertThat(c.parsed()).doesNotContainKey("old_orders");
  }

  @Test
  void seeds_take_column_types_from_the_project_file() {
    assertThat(PLUS.seeds().get(0).columnTypes()).isEqualTo(Map.of("code", "varchar(2)"));
  }

  @Test
  void generic_tests_are_named_as_dbt_names_them() {
    assertThat(JAFFLE.genericTests())
        .extracting(GenericTest::name)
        .contains(
            "unique_customers_customer_id",
            "not_null_orders_order_id",
            "relationships_orders_customer_id__customer_id__ref_customers_",
            "accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758");
    assertThat(PLUS.genericTests())
        .extracting(GenericTest::name)
        .contains("source_not_null_shop_orders_id", "unique_fct_orders_order_id");
  }

  @Test
  void generic_tests_keep_their_arguments_and_severity() {
    GenericTest rel =
        PLUS.genericTests().stream()
            .filter(t -> t.kind() == GenericTest.Kind.RELATIONSHIPS)
            .findFirst()
            .orElseThrow();
    assertThat(rel.model()).isEqualTo("fct_orders");
    assertThat(rel.column()).isEqualTo("customer_id");
    assertThat(rel.args())
        .containsEntry("to", "ref('dim_customers')")
        .containsEntry("field", "customer_id");
    assertThat(rel.severity()).isEqualTo(GenericTest.Severity.WARN);
    assertThat(rel.location().toString()).isEqualTo("models/marts/schema.yml:13:13");
    GenericTest values =
        PLUS.genericTests().stream()
            .filter(t -> t.kind() == GenericTest.Kind.ACCEPTED_VALUES)
            .findFirst()
            .orElseThrow();
    assertThat(values.args())
        .containsEntry("quote", true)
        .containsEntry("values", java.util.List.of("EMEA", "AMER", "APAC", "GLOBAL"));
    assertThat(values.severity()).isEqualTo(GenericTest.Severity.ERROR);
  }
}
