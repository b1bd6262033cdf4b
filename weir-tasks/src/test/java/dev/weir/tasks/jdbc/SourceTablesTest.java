package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceTablesTest {
  private static java.util.List<String> tables(String sql) {
    return SourceTables.of(null, sql);
  }

  @Test
  void the_table_property_wins_over_the_sql() {
    assertThat(SourceTables.of(" shop.orders ", "SELECT * FROM other"))
        .containsExactly("shop.orders");
  }

  @Test
  void a_from_inside_a_function_is_not_a_table() {
    assertThat(tables("SELECT extract(year FROM created_at) AS y FROM orders"))
        .containsExactly("orders");
    assertThat(tables("SELECT trim(both ' ' FROM name), substring(name FROM 2 FOR 3) FROM people"))
        .containsExactly("people");
  }

  @Test
  void cte_names_are_not_datasets() {
    assertThat(
            tables(
                """
                WITH recent AS (SELECT * FROM orders WHERE ordered_at > :since),
                     big AS (SELECT * FROM recent WHERE amount > 100)
                SELECT * FROM big JOIN customers c ON c.id = big.customer_id
                """))
        .containsExactly("customers", "orders");
    assertThat(tables("WITH \"Recent\" AS (SELECT * FROM orders) SELECT * FROM \"Recent\""))
        .containsExactly("orders");
    assertThat(tables("WITH Recent AS (SELECT * FROM orders) SELECT * FROM recent"))
        .containsExactly("orders");
    assertThat(
            tables(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5)"
                    + " SELECT * FROM n"))
        .isEmpty();
  }

  @Test
  void a_schema_qualified_cte_name_is_a_table() {
    assertThat(tables("WITH orders AS (SELECT 1) SELECT * FROM archive.orders"))
        .containsExactly("archive.orders");
  }

  @Test
  void joins_subqueries_and_set_operations_name_every_table() {
    assertThat(
            tables(
                """
                SELECT o.id FROM shop.orders o
                LEFT JOIN shop.customers c ON c.id = o.customer_id
                JOIN (SELECT order_id FROM refunds) r ON r.order_id = o.id
                WHERE EXISTS (SELECT 1 FROM audit.flags f WHERE f.id = o.id)
                UNION ALL
                SELECT id FROM legacy_orders
                """))
        .containsExactly(
            "audit.flags", "legacy_orders", "refunds", "shop.customers", "shop.orders");
    assertThat(tables("SELECT * FROM orders o, LATERAL (SELECT * FROM items i WHERE i.o = o.id) x"))
        .containsExactly("items", "orders");
  }

  @Test
  void quoted_identifiers_lose_their_quotes_and_keep_their_case() {
    assertThat(tables("SELECT * FROM \"raw-orders\" o JOIN \"Sales\".\"Customers\" c USING (id)"))
        .containsExactly("Sales.Customers", "raw-orders");
    assertThat(tables("SELECT * FROM `shop`.`order items`")).containsExactly("shop.order items");
    assertThat(tables("SELECT * FROM db.shop.orders")).containsExactly("db.shop.orders");
  }

  @Test
  void postgres_and_duckdb_syntax_that_parses_still_names_its_tables() {
    assertThat(tables("SELECT id::text, payload->>'k' FROM events WHERE id > :since"))
        .containsExactly("events");
    assertThat(tables("SELECT * EXCLUDE (secret) FROM users QUALIFY row_number() OVER () = 1"))
        .containsExactly("users");
  }

  @Test
  void a_table_function_or_a_file_makes_the_tables_unknown() {
    assertThat(tables("SELECT * FROM read_parquet('s3://bucket/orders/*.parquet')")).isEmpty();
    assertThat(tables("SELECT * FROM orders JOIN read_csv('extra.csv') e USING (id)")).isEmpty();
    assertThat(tables("SELECT * FROM 'orders.parquet'")).isEmpty();
    assertThat(tables("SELECT * FROM generate_series(1, 10) g")).isEmpty();
  }

  @Test
  void sql_that_does_not_parse_is_unknown_never_a_wrong_table() {
    assertThat(tables("SELECT FROM WHERE")).isEmpty();
    assertThat(tables("SELECT * FROM [dbo].[orders]")).isEmpty();
    assertThat(tables("SELEKT * FROM orders")).isEmpty();
    assertThat(tables("")).isEmpty();
    assertThat(tables(null)).isEmpty();
    assertThat(tables("SELECT 1")).isEmpty();
  }
}
