package dev.weir.tasks.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorTest {
  private static final ModelGraph JAFFLE = Projects.compiler("jaffle_shop").graph();
  private static final ModelGraph PLUS = Projects.compiler("shop_plus").graph();

  /** The selected models and seeds, in DAG order (tests left out to keep cases short). */
  private static List<String> select(ModelGraph g, String select, String exclude) {
    return new Selector(g)
        .select(select, exclude).stream()
            .filter(n -> n.type() == GraphNode.Type.MODEL || n.type() == GraphNode.Type.SEED)
            .map(GraphNode::name)
            .toList();
  }

  private static List<String> select(ModelGraph g, String select) {
    return select(g, select, null);
  }

  @Test
  void a_name_selects_that_model_and_its_tests() {
    assertThat(new Selector(JAFFLE).select("orders", null).stream().map(GraphNode::name))
        .startsWith("orders")
        .contains(
            "unique_orders_order_id",
            "not_null_orders_customer_id",
            "relationships_orders_customer_id__customer_id__ref_customers_")
        .doesNotContain("customers", "unique_customers_customer_id");
  }

  @Test
  void plus_before_adds_ancestors_and_a_number_limits_the_depth() {
    assertThat(select(JAFFLE, "+orders"))
        .containsExactly("raw_orders", "raw_payments", "stg_orders", "stg_payments", "orders");
    assertThat(select(JAFFLE, "1+orders")).containsExactly("stg_orders", "stg_payments", "orders");
  }

  @Test
  void plus_after_adds_descendants() {
    assertThat(select(JAFFLE, "stg_orders+")).containsExactly("stg_orders", "customers", "orders");
    assertThat(select(JAFFLE, "raw_orders+1")).containsExactly("raw_orders", "stg_orders");
  }

  @Test
  void at_adds_descendants_and_their_ancestors() {
    assertThat(select(JAFFLE, "@stg_orders"))
        .containsExactlyInAnyOrder(
            "raw_customers",
            "raw_orders",
            "raw_payments",
            "stg_customers",
            "stg_orders",
            "stg_payments",
            "customers",
            "orders");
  }

  @Test
  void wildcards_tags_paths_and_materializations() {
    assertThat(select(JAFFLE, "stg_*"))
        .containsExactly("stg_customers", "stg_orders", "stg_payments");
    assertThat(select(JAFFLE, "path:models/staging"))
        .containsExactly("stg_customers", "stg_orders", "stg_payments");
    assertThat(select(JAFFLE, "models/staging/stg_orders.sql")).containsExactly("stg_orders");
    assertThat(select(JAFFLE, "config.materialized:table")).containsExactly("customers", "orders");
    assertThat(select(PLUS, "tag:daily")).containsExactly("fct_orders", "dim_customers");
    assertThat(select(PLUS, "tag:finance")).containsExactly("fct_orders");
    assertThat(select(PLUS, "tag:core")).containsExactly("dim_customers");
    assertThat(select(PLUS, "tag:staging"))
        .containsExactly("stg_shop_customers", "stg_shop_orders", "int_order_flags");
  }

  @Test
  void sources_select_their_downstream_models() {
    assertThat(select(PLUS, "source:shop.orders+"))
        .containsExactly("stg_shop_orders", "int_order_flags", "fct_orders", "dim_customers");
  }

  @Test
  void spaces_unite_commas_intersect_and_exclude_removes() {
    assertThat(select(JAFFLE, "stg_orders customers")).containsExactly("stg_orders", "customers");
    assertThat(select(PLUS, "tag:daily,config.materialized:incremental"))
        .containsExactly("fct_orders");
    assertThat(select(JAFFLE, "+orders", "stg_payments raw_*"))
        .containsExactly("stg_orders", "orders");
    assertThat(
            new Selector(JAFFLE)
                .select("orders", "resource_type:test").stream().map(GraphNode::name))
        .containsExactly("orders");
  }

  @Test
  void nothing_selected_means_everything_in_dag_order() {
    assertThat(select(JAFFLE, ""))
        .containsExactly(
            "raw_customers",
            "raw_orders",
            "raw_payments",
            "stg_customers",
            "stg_orders",
            "stg_payments",
            "customers",
            "orders");
  }

  @Test
  void the_ephemeral_model_stays_in_the_graph_and_disabled_models_leave_it() {
    assertThat(PLUS.node("model.shop_plus.int_order_flags").isEphemeral()).isTrue();
    assertThat(PLUS.node("model.shop_plus.old_orders")).isNull();
    assertThat(PLUS.parents("model.shop_plus.fct_orders"))
        .containsExactly("model.shop_plus.int_order_flags", "model.shop_plus.stg_shop_orders");
  }

  @Test
  void an_unknown_method_is_refused_with_the_supported_ones() {
    assertThatThrownBy(() -> new Selector(JAFFLE).select("state:modified", null))
        .hasMessageContaining("selector method 'state:' is not supported")
        .hasMessageContaining("tag:, path:");
  }
}
