package dev.weir.tasks.models;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** The shop_plus project's source tables (schema raw) and runs of it, for the runner's tests. */
final class ShopPlus {
  private ShopPlus() {}

  /** Creates raw.shop_orders and raw.customers; {@code negative}: order 5 is negative. */
  static void sources(Connection c, boolean negative) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute("create schema if not exists raw");
      st.execute(
          "create table raw.shop_orders (id int, customer_id int, amount_cents int,"
              + " tax_cents int, status text, updated_at timestamp, ordered_at date)");
      st.execute(
          "insert into raw.shop_orders values"
              + " (1, 1, 1000, 100, 'shipped', '2024-02-01 10:00', '2024-02-01'),"
              + " (2, 2, 25000, 0, 'placed', '2024-02-02 10:00', '2024-02-02'),"
              + " (3, 1, 500, 0, 'delivered', '2024-02-03 10:00', '2024-02-03')"
              + (negative ? ", (5, 9, -100, 0, 'placed', '2024-02-04 10:00', '2024-02-04')" : ""));
      st.execute("create table raw.customers (id int, name text, country text)");
      st.execute("insert into raw.customers values (1, 'Ann', 'DE'), (2, 'Bob', 'US')");
    }
  }

  /** Order 2 changes (newer updated_at), order 4 is new, order 1 changes without a new time. */
  static void change(Connection c) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(
          "update raw.shop_orders set amount_cents = 30000,"
              + " updated_at = '2024-03-01 10:00' where id = 2");
      st.execute("update raw.shop_orders set amount_cents = 1100 where id = 1");
      st.execute(
          "insert into raw.shop_orders values"
              + " (4, 2, 700, 0, 'placed', '2024-03-02 10:00', '2024-03-02')");
    }
  }

  static List<NodeResult> run(Connection c, String select) {
    return run(c, select, Target.duckdb("main"));
  }

  static List<NodeResult> run(Connection c, String select, Target target) {
    DbtProject p = DbtProject.load(Projects.path("shop_plus"));
    var options =
        new CompileOptions(
            p.name(), target, Map.of(), false, false, Map.of("WEIR_TEST_REGION", "emea")::get);
    return new ProjectRunner(p, options, c).run(select, null);
  }
}
