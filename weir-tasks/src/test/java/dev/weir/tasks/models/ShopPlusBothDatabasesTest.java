package dev.weir.tasks.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The shop_plus project (sources, a seed with column types, staging views, an ephemeral model,
 * macros, mart tables in their own schema, an incremental model, generic and singular tests) built
 * on DuckDB and on PostgreSQL, in parallel, twice with changed source rows in between: every table
 * it builds holds the same expected rows on both.
 */
class ShopPlusBothDatabasesTest {
  private static final String FCT = "select order_id, customer_id, amount from %s.fct_orders";
  private static final String DIM =
      "select customer_id, customer_name, country, region, orders from %s.customers";

  @Test
  void shop_plus_builds_the_same_rows_on_duckdb() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      buildTwiceAndCompare(c, null, Target.duckdb("main"), "main_marts", "main");
    }
  }

  @Test
  void shop_plus_builds_the_same_rows_on_postgresql() throws Exception {
    String base = TestDatabases.postgresBaseUrl();
    String db = "weir_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = DriverManager.getConnection(base)) {
      admin.createStatement().execute("create database " + db);
    }
    String url = base.replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
    try {
      try (Connection c = DriverManager.getConnection(url)) {
        buildTwiceAndCompare(
            c,
            url,
            new Target("ci", "analytics", Target.Dialect.POSTGRES),
            "analytics_marts",
            "analytics");
      }
    } finally {
      try (Connection admin = DriverManager.getConnection(base)) {
        admin.createStatement().execute("drop database if exists " + db + " with (force)");
      }
    }
  }

  private static void buildTwiceAndCompare(
      Connection c, String url, Target target, String marts, String schema) throws Exception {
    ShopPlus.sources(c, false);

    List<NodeResult> first = run(c, url, target);

    assertThat(first)
        .allSatisfy(r ->
            assertThat(r.status())
                .as(r.name() + ": " + r.message())
                .isEqualTo(NodeResult.Status.SUCCESS));
    assertThat(first)
        .extracting(NodeResult::name)
        .contains("fct_orders", "dim_customers", "country_codes", "assert_no_negative_amounts");
    assertThat(rows(c, FCT.formatted(marts) + " order by 1"))
        .containsExactly("1|1|10.00", "2|2|250.00", "3|1|5.00");
    assertThat(rows(c, DIM.formatted(marts) + " order by 1"))
        .containsExactly("1|Ann|Germany|EMEA|2", "2|Bob|United States|EMEA|1");
    assertThat(rows(c, "select code, name from " + schema + ".country_codes order by 1"))
        .hasSizeGreaterThan(1)
        .contains("DE|Germany");

    ShopPlus.change(c);
    List<NodeResult> second = run(c, url, target);

    assertThat(second).allSatisfy(r -> assertThat(r.status()).isEqualTo(NodeResult.Status.SUCCESS));
    // the incremental model merged order 2 (newer) and added 4; order 1 changed without a newer
    // updated_at, so it keeps its first amount, as the model's filter says
    assertThat(rows(c, FCT.formatted(marts) + " order by 1"))
        .containsExactly("1|1|10.00", "2|2|300.00", "3|1|5.00", "4|2|7.00");
    assertThat(second)
        .filteredOn(r -> r.name().equals("fct_orders"))
        .singleElement()
        .satisfies(r -> assertThat(r.rows()).isEqualTo(2));
  }

  private static List<NodeResult> run(Connection c, String url, Target target) throws SQLException {
    DbtProject p = DbtProject.load(Projects.path("shop_plus"));
    var options =
        new CompileOptions(
            p.name(),
            target,
            java.util.Map.of(),
            false,
            false,
            java.util.Map.of("WEIR_TEST_REGION", "emea")::get);
    TargetConnections connections =
        target.dialect() == Target.Dialect.DUCKDB
            ? TargetConnections.duckdb(c)
            : () -> DriverManager.getConnection(url);
    return new ProjectRunner(p, options, connections, 3).run(null, null);
  }

  /** Rows as text, numbers with two decimals so that both databases print them alike. */
  private static List<String> rows(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      var out = new ArrayList<String>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        var sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          String text =
              v instanceof Number num && !(v instanceof Integer || v instanceof Long)
                  ? new java.math.BigDecimal(num.toString())
                      .setScale(2, java.math.RoundingMode.HALF_UP)
                      .toPlainString()
                  : String.valueOf(v);
          sb.append(i == 1 ? "" : "|").append(text);
        }
        out.add(sb.toString());
      }
      return out;
    }
  }
}
