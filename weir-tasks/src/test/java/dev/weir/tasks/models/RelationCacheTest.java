package dev.weir.tasks.models;

import static dev.weir.tasks.models.JaffleShopDuckDbTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's {@link RelationCache}: one query per schema, and never ahead of the database. */
class RelationCacheTest {
  @Test
  void a_run_reads_each_schema_once_and_takes_row_counts_from_the_create_statements()
      throws SQLException {
    DbtProject p = DbtProject.load(Projects.path("jaffle_shop"));
    try (Connection real = DriverManager.getConnection("jdbc:duckdb:")) {
      var statements = new CopyOnWriteArrayList<String>();
      Connection c = recording(real, statements);
      List<NodeResult> results =
          new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null);
      assertThat(results)
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(NodeResult.Status.SUCCESS));
      assertThat(statements)
          .filteredOn(s -> s.contains("information_schema.tables"))
          .containsExactly(
              "select table_name, table_type from information_schema.tables where table_schema = ?");
      assertThat(statements).noneMatch(s -> s.startsWith("select count(*) from \""));
      for (String table : List.of("customers", "orders", "raw_orders")) {
        assertThat(results)
            .filteredOn(r -> r.name().equals(table))
            .singleElement()
            .extracting(NodeResult::rows)
            .isEqualTo(Long.valueOf(rows(real, "select count(*) from main." + table).get(0)));
      }
      // a second run reads the schema again: the cache lives for one run
      statements.clear();
      new ProjectRunner(p, CompileOptions.defaults(p), c).run("orders", null);
      assertThat(statements).filteredOn(s -> s.contains("information_schema.tables")).hasSize(1);
    }
  }

  @Test
  void a_failed_swap_leaves_the_cache_as_the_database_is() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      var on = new Relations(c, Target.Dialect.DUCKDB);
      on.createSchema("s");
      on.create("s", "t", "BASE TABLE", "create table s.t as select 1 as x");
      long rows =
          on.create(
              "s",
              "t__weir_tmp",
              "BASE TABLE",
              "create table s.t__weir_tmp as select 2 as x union all select 3");
      assertThat(rows).isEqualTo(2);
      assertThatThrownBy(() -> on.swap("s", "t__weir_tmp", "t", "select * from no_such_table"))
          .isInstanceOf(SQLException.class);
      // rolled back: the old table and the temporary one are both still there
      assertThat(on.kind("s", "t")).isEqualTo("BASE TABLE");
      assertThat(on.kind("s", "t__weir_tmp")).isEqualTo("BASE TABLE");
      assertThat(on.count("s.t")).isEqualTo(1);
      on.swap("s", "t__weir_tmp", "t", null);
      assertThat(on.kind("s", "t__weir_tmp")).isNull();
      assertThat(on.count("s.t")).isEqualTo(2);
      on.drop("s", "t");
      assertThat(on.kind("s", "t")).isNull();
      // a failed create leaves nothing behind in the cache either
      assertThatThrownBy(() -> on.create("s", "v", "VIEW", "create view s.v as select * from nope"))
          .isInstanceOf(SQLException.class);
      assertThat(on.kind("s", "v")).isNull();
    }
  }

  @Test
  void a_seed_that_fails_to_load_leaves_no_temporary_table_behind(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("dbt_project.yml"),
        "name: s\nseeds:\n  s:\n    nums:\n      +column_types:\n        n: integer\n");
    Files.createDirectories(dir.resolve("seeds"));
    Files.writeString(dir.resolve("seeds/nums.csv"), "n\n1\nnot a number\n");
    DbtProject p = DbtProject.load(dir);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      NodeResult r = new ProjectRunner(p, CompileOptions.defaults(p), c).run(null, null).get(0);
      assertThat(r.status()).isEqualTo(NodeResult.Status.ERROR);
      assertThat(r.message()).startsWith("seeds/nums.csv: ").contains("not a number");
      assertThat(rows(c, "select count(*) from information_schema.tables")).containsExactly("0");
    }
  }

  /** {@code real}, recording the SQL of every statement prepared or executed (lower case). */
  private static Connection recording(Connection real, List<String> sql) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, m, args) -> {
              if (m.getName().equals("prepareStatement")) {
                sql.add(((String) args[0]).toLowerCase(Locale.ROOT));
              }
              try {
                Object out = m.invoke(real, args);
                if (m.getName().equals("createStatement")) {
                  return statement((java.sql.Statement) out, sql);
                }
                return out;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static java.sql.Statement statement(java.sql.Statement real, List<String> sql) {
    return (java.sql.Statement)
        Proxy.newProxyInstance(
            java.sql.Statement.class.getClassLoader(),
            new Class<?>[] {java.sql.Statement.class},
            (proxy, m, args) -> {
              if (m.getName().startsWith("execute")
                  && args != null
                  && args[0] instanceof String s) {
                sql.add(s.toLowerCase(Locale.ROOT));
              }
              try {
                return m.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
