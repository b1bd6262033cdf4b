package dev.weir.tasks.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestDatabases;
import java.io.Reader;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The jaffle shop compiled for PostgreSQL runs there: seeds copied in by this test (typed as the
 * seed loader will infer them), models created in DAG order, the schema tests pass.
 */
class JaffleShopPostgresTest {
  private static final Map<String, String> SEED_COLUMNS =
      Map.of(
          "raw_customers", "id int, first_name text, last_name text",
          "raw_orders", "id int, user_id int, order_date date, status text",
          "raw_payments", "id int, order_id int, payment_method text, amount int");

  @Test
  void the_jaffle_shop_compiled_for_postgresql_builds_there() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    String schema = TestDatabases.schemaOf(url);
    DbtProject p = DbtProject.load(Projects.path("jaffle_shop"));
    var compiler =
        new ModelCompiler(
            p,
            CompileOptions.defaults(p)
                .withTarget(new Target("ci", schema, Target.Dialect.POSTGRES)));
    try (Connection c = DriverManager.getConnection(url);
        var st = c.createStatement()) {
      for (GraphNode n : compiler.graph().inOrder()) {
        if (n.type() == GraphNode.Type.SEED) {
          st.execute(
              "create table \""
                  + schema
                  + "\"."
                  + n.name()
                  + " ("
                  + SEED_COLUMNS.get(n.name())
                  + ")");
          try (Reader csv = Files.newBufferedReader(p.root().resolve(n.path()))) {
            c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(
                    "copy \"" + schema + "\"." + n.name() + " from stdin with (format csv, header)",
                    csv);
          }
        } else if (n.type() == GraphNode.Type.MODEL) {
          CompiledModel m = compiler.compile(n.name());
          String kind = n.materialized().equals("view") ? "view" : "table";
          st.execute("create " + kind + " " + m.relation() + " as " + m.sql());
        }
      }
      assertThat(
              JaffleShopDuckDbTest.rows(
                  c,
                  "select customer_id, number_of_orders, customer_lifetime_value from \""
                      + schema
                      + "\".customers where customer_id = 1"))
          .containsExactly("1|3|53");
      for (GenericTest t : p.genericTests()) {
        assertThat(JaffleShopDuckDbTest.rows(c, compiler.compileTest(t)))
            .as("failing rows of %s", t.name())
            .isEmpty();
      }
    }
  }
}
