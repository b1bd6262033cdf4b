package dev.weir.tasks.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compiled jaffle shop runs: its seeds loaded with DuckDB's read_csv (a test-only stand-in for
 * the seed loader), its models created in DAG order on an in-memory DuckDB, the marts' rows right.
 */
class JaffleShopDuckDbTest {
  @Test
  void the_compiled_jaffle_shop_builds_on_duckdb_with_the_expected_rows() throws SQLException {
    ModelCompiler compiler = Projects.compiler("jaffle_shop");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      build(compiler, c);
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
                  "select order_id, status, credit_card_amount, coupon_amount,"
                      + " bank_transfer_amount, gift_card_amount, amount from main.orders"
                      + " where order_id in (9, 13) order by 1"))
          .containsExactly(
              "9|completed|0.0|0.0|0.0|23.0|23.0", "13|return_pending|5.0|0.0|14.0|0.0|19.0");
      assertThat(
              rows(
                  c,
                  "select table_name, table_type from information_schema.tables"
                      + " where table_name in ('stg_orders', 'orders') order by 1"))
          .containsExactly("orders|BASE TABLE", "stg_orders|VIEW");
    }
  }

  @Test
  void every_schema_test_of_the_jaffle_shop_passes_and_a_stricter_one_finds_the_rows()
      throws SQLException {
    ModelCompiler compiler = Projects.compiler("jaffle_shop");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      build(compiler, c);
      assertThat(compiler.project().genericTests()).hasSize(20);
      for (GenericTest t : compiler.project().genericTests()) {
        assertThat(rows(c, compiler.compileTest(t))).as("failing rows of %s", t.name()).isEmpty();
      }
      GenericTest status =
          compiler.project().genericTests().stream()
              .filter(
                  t -> t.kind() == GenericTest.Kind.ACCEPTED_VALUES && "orders".equals(t.model()))
              .findFirst()
              .orElseThrow();
      var stricter =
          new GenericTest(
              status.name(),
              status.kind(),
              "orders",
              null,
              "status",
              java.util.Map.of("values", List.of("placed", "shipped", "completed")),
              status.severity(),
              status.location());
      assertThat(rows(c, compiler.compileTest(stricter) + " order by 1"))
          .containsExactly("return_pending|1", "returned|2");
      var orphans =
          new GenericTest(
              "r",
              GenericTest.Kind.RELATIONSHIPS,
              "stg_payments",
              null,
              "payment_id",
              java.util.Map.of("to", "ref('stg_orders')", "field", "order_id"),
              status.severity(),
              status.location());
      assertThat(rows(c, compiler.compileTest(orphans) + " order by 1"))
          .containsExactly("15", "16");
    }
  }

  /** Seeds, then every model in DAG order (tests and sources aside). */
  static void build(ModelCompiler compiler, Connection c) throws SQLException {
    try (var st = c.createStatement()) {
      for (GraphNode n : compiler.graph().inOrder()) {
        switch (n.type()) {
          case SEED ->
              st.execute(
                  "create table main."
                      + n.name()
                      + " as select * from read_csv('"
                      + compiler.project().root().resolve(n.path())
                      + "', header = true)");
          case MODEL -> {
            if (n.isEphemeral()) {
              continue;
            }
            CompiledModel m = compiler.compile(n.name());
            String kind = n.materialized().equals("view") ? "view" : "table";
            st.execute("create " + kind + " " + m.relation() + " as " + m.sql());
          }
          default -> {}
        }
      }
    }
  }

  static List<String> rows(Connection c, String sql) throws SQLException {
    var out = new ArrayList<String>();
    try (var st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        var cells = new ArrayList<String>();
        for (int i = 1; i <= n; i++) {
          cells.add(String.valueOf(rs.getObject(i)));
        }
        out.add(String.join("|", cells));
      }
    }
    return out;
  }
}
