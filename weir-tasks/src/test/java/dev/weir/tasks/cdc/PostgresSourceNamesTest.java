package dev.weir.tasks.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostgresSourceNamesTest {
  @Test
  void a_short_name_is_the_namespace_flow_and_task() {
    assertThat(PostgresSource.defaultName("shop.sales", "orders", "cdc"))
        .isEqualTo("weir_shop_sales_orders_cdc");
  }

  @Test
  void long_names_that_share_a_prefix_stay_apart_within_63_characters() {
    String flow = "orders_replicated_into_the_warehouse_every_few_seconds";
    String a = PostgresSource.defaultName("shop.sales", flow, "customers_cdc");
    String b = PostgresSource.defaultName("shop.sales", flow, "customers_cdc_eu");
    assertThat(a).hasSize(63).matches("[a-z0-9_]+");
    assertThat(b).hasSize(63);
    assertThat(a).isNotEqualTo(b);
    assertThat(PostgresSource.defaultName("shop.sales", flow, "customers_cdc")).isEqualTo(a);
  }

  @Test
  void the_urls_tls_settings_reach_the_replication_connection() {
    var source =
        new PostgresSource(
            dev.weir.config.ConnectionConfig.jdbc(
                "pg",
                "jdbc:postgresql://db.example:5432/shop?sslmode=verify-full&sslrootcert=/etc/ca.pem",
                "weir",
                "secret",
                java.util.Map.of()),
            java.util.List.of("public.orders"),
            "slot",
            "slot",
            new ColumnRules(java.util.Map.of(), java.util.Map.of(), null));

    var p = source.connector(false);

    assertThat(p.getProperty("database.sslmode")).isEqualTo("verify-full");
    assertThat(p.getProperty("database.sslrootcert")).isEqualTo("/etc/ca.pem");
    assertThat(p.getProperty("database.hostname")).isEqualTo("db.example");
  }
}
