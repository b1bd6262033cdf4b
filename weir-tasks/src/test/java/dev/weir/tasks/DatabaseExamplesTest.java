package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.tasks.Examples.Run;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of the task types on databases: jdbc.extract, jdbc.query and jdbc.load, and the
 * change data capture of cdc.postgres and cdc.mysql, each against a database started for it.
 */
class DatabaseExamplesTest {
  @TempDir Path dir;
  private Examples examples;

  @BeforeEach
  void copyExamples() throws Exception {
    examples = Examples.copiedTo(dir, DatabaseExamplesTest::connect);
  }

  private static void connect(TestContext ctx, String example) throws Exception {
    if (example.startsWith("jdbc.extract")) {
      ctx.connection("shop", shop());
    }
    if (example.startsWith("cdc.mysql")) {
      ctx.connection("shop_mariadb", cdcMariaDb());
      ctx.connection("lake_duck", "jdbc:duckdb:out/lake.duckdb");
    }
    if (example.startsWith("cdc.postgres")) {
      ctx.connection("shop_primary", cdcShop());
      ctx.connection("lake_duck", "jdbc:duckdb:out/lake.duckdb");
    }
  }

  private static String shopUrl;

  /** The example's `shop` database: a PostgreSQL schema with a few orders. */
  private static synchronized String shop() throws Exception {
    if (shopUrl == null) {
      shopUrl = dev.weir.testing.TestDatabases.freshPostgresSchemaUrl();
      try (var c = DriverManager.getConnection(shopUrl)) {
        c.createStatement()
            .execute(
                "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text,"
                    + " amount numeric(10,2), updated_at timestamp);"
                    + " INSERT INTO orders SELECT g, g % 3, CASE WHEN g = 2 THEN 'cancelled' ELSE"
                    + " 'paid' END, g * 1.5, timestamp '2026-11-01 10:00' + g * interval '1 minute'"
                    + " FROM generate_series(1, 6) g");
      }
    }
    return shopUrl;
  }

  private static dev.weir.testing.RestartablePostgres cdcPg;

  /** A PostgreSQL with logical decoding holding the cdc.postgres example's tables. */
  private static synchronized String cdcShop() throws Exception {
    if (cdcPg == null) {
      cdcPg = dev.weir.testing.RestartablePostgres.startLogical();
      try (var c = DriverManager.getConnection(cdcPg.url())) {
        c.createStatement()
            .execute(
                "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, amount numeric(10,2));"
                    + " CREATE TABLE customers (id int PRIMARY KEY, email text, ssn text);"
                    + " INSERT INTO orders SELECT g, g % 2, g * 1.5 FROM generate_series(1, 4) g;"
                    + " INSERT INTO customers VALUES (0, 'ann@example.com', '123-45-6789'),"
                    + " (1, 'bob@example.com', '987-65-4321')");
      }
    }
    return cdcPg.url();
  }

  private static dev.weir.testing.BinlogMariaDb cdcMaria;

  /** A MariaDB with the binlog on holding the cdc.mysql example's database {@code shop}. */
  private static synchronized String cdcMariaDb() throws Exception {
    if (cdcMaria == null) {
      cdcMaria = dev.weir.testing.BinlogMariaDb.start();
      try (var c = DriverManager.getConnection(cdcMaria.url("mysql"));
          var st = c.createStatement()) {
        st.execute("CREATE DATABASE shop");
        st.execute(
            "CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int, amount"
                + " decimal(10,2))");
        st.execute(
            "CREATE TABLE shop.customers (id int PRIMARY KEY, email varchar(100), ssn"
                + " varchar(20))");
        st.execute("INSERT INTO shop.orders VALUES (1, 1, 1.5), (2, 0, 3), (3, 1, 4.5), (4, 0, 6)");
        st.execute(
            "INSERT INTO shop.customers VALUES (0, 'ann@example.com', '123-45-6789'), (1,"
                + " 'bob@example.com', '987-65-4321')");
      }
    }
    return cdcMaria.url("shop");
  }

  @AfterAll
  static void stopCdcDatabases() throws Exception {
    if (cdcPg != null) {
      cdcPg.close();
    }
    if (cdcMaria != null) {
      cdcMaria.close();
    }
  }

  @Test
  void jdbc_extract_example_reads_changed_rows_and_upserts_them() throws Exception {
    Run first = examples.run("jdbc.extract.yaml");
    assertThat(first.results().get("changed_orders").outputs())
        .containsEntry("rows", 5L)
        .containsEntry("watermark", "2026-11-01T10:06:00.000000");
    assertThat(first.results().get("load_orders").outputs()).containsEntry("rows", 5L);
  }

  @Test
  void jdbc_query_example_rebuilds_a_day_of_the_mart_idempotently() throws Exception {
    examples.run("jdbc.query.yaml");
    Run again = examples.run("jdbc.query.yaml");
    assertThat(again.results().get("daily_revenue").outputs())
        .containsEntry("statements", 7)
        .containsEntry("rowsAffected", List.of(-1L, -1L, -1L, 3L, 3L, 2L, 2L));
    assertThat(again.results().get("revenue").dataset().rowCount()).isEqualTo(2);
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/warehouse.duckdb"));
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT sum(revenue) FROM mart.daily_revenue WHERE region = 'north'")) {
      rs.next();
      assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("200.00");
    }
  }

  @Test
  void jdbc_load_example_can_run_twice() throws Exception {
    examples.run("jdbc.load.yaml");
    examples.run("jdbc.load.yaml");
    try (var c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/warehouse.duckdb"));
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM analytics.orders")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(11);
    }
  }

  @Test
  void cdc_postgres_example_copies_the_tables_then_streams_deletes_as_soft_deletes()
      throws Exception {
    Run first = examples.run("cdc.postgres.yaml", Map.of(), Map.of("PII_SALT", "pepper"));
    assertThat(first.results().get("orders_cdc").outputs())
        .containsEntry("snapshotRows", 6L)
        .containsEntry("stopped", "caught up");
    try (var c = DriverManager.getConnection(cdcPg.url())) {
      c.createStatement().execute("DELETE FROM orders WHERE id = 4");
    }
    Run again = examples.run("cdc.postgres.yaml", Map.of(), Map.of("PII_SALT", "pepper"));
    assertThat(again.results().get("orders_cdc").outputs()).containsEntry("deletes", 1L);
    assertSoftDeletedAndHashed();
  }

  @Test
  void cdc_mysql_example_copies_the_tables_then_streams_deletes_as_soft_deletes() throws Exception {
    Run first = examples.run("cdc.mysql.yaml", Map.of(), Map.of("PII_SALT", "pepper"));
    assertThat(first.results().get("orders_cdc").outputs())
        .containsEntry("snapshotRows", 6L)
        .containsEntry("stopped", "caught up");
    try (var c = DriverManager.getConnection(cdcMaria.url("shop"))) {
      c.createStatement().execute("DELETE FROM orders WHERE id = 4");
    }
    Run again = examples.run("cdc.mysql.yaml", Map.of(), Map.of("PII_SALT", "pepper"));
    assertThat(again.results().get("orders_cdc").outputs()).containsEntry("deletes", 1L);
    assertSoftDeletedAndHashed();
  }

  /**
   * Both CDC examples leave the lake with order 4 soft-deleted, and the customers' e-mails hashed
   * and their SSNs dropped.
   */
  private void assertSoftDeletedAndHashed() throws Exception {
    String lake = "jdbc:duckdb:" + dir.resolve("out/lake.duckdb");
    try (var c = DriverManager.getConnection(lake);
        ResultSet rs =
            c.createStatement().executeQuery("SELECT id FROM orders WHERE _deleted ORDER BY id")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(4);
      assertThat(rs.next()).isFalse();
    }
    try (var c = DriverManager.getConnection(lake);
        ResultSet rs = c.createStatement().executeQuery("SELECT * FROM customers ORDER BY id")) {
      assertThat(rs.getMetaData().getColumnCount()).isEqualTo(4); // id, email, _deleted(_at)
      while (rs.next()) {
        assertThat(rs.getString("email")).hasSize(64).doesNotContain("@"); // SHA-256 hex
      }
    }
  }
}
