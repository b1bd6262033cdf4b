package dev.weir.tasks.models;

import static dev.weir.tasks.models.JaffleShopDuckDbTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * {@link Relations} when things go wrong: a temporary table is dropped even after a cancel, and a
 * statement that fails keeps its own error when closing it fails too.
 */
class RelationsCleanupTest {
  @Test
  void after_a_cancel_no_statement_starts_but_a_temporary_table_is_still_dropped()
      throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      var inFlight = new InFlight();
      var on =
          new Relations(
              c,
              Target.Dialect.DUCKDB,
              inFlight,
              (r, schema) -> r.execute("create schema " + schema),
              new RelationCache());
      on.createSchema("s");
      on.create("s", "t__weir_new", "BASE TABLE", "create table s.t__weir_new as select 1 as x");
      inFlight.cancel();
      SQLException refused =
          catchThrowableOfType(SQLException.class, () -> on.drop("s", "t__weir_new"));
      assertThat((Throwable) refused).hasMessage(InFlight.CANCELLED);
      on.dropTemporary("s", "t__weir_new", refused);
      assertThat(refused.getSuppressed()).isEmpty();
      assertThat(rows(c, "select count(*) from information_schema.tables where table_schema = 's'"))
          .containsExactly("0");
    }
  }

  @Test
  void a_cleanup_that_fails_is_suppressed_into_the_error_that_caused_it() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      var on = new Relations(c, Target.Dialect.DUCKDB);
      on.execute("create view t__weir_tmp as select 1 as x"); // not a table: the drop fails
      var cause = new SQLException("the model failed");
      on.dropTemporary("main", "t__weir_tmp", cause);
      assertThat(cause.getSuppressed()).singleElement().asString().contains("t__weir_tmp");
    }
  }

  @Test
  void a_failing_statement_keeps_its_own_error_when_closing_it_fails_too() throws SQLException {
    try (Connection real = DriverManager.getConnection("jdbc:duckdb:")) {
      var on = new Relations(closeFails(real), Target.Dialect.DUCKDB);
      SQLException executed =
          catchThrowableOfType(SQLException.class, () -> on.execute("select * from no_such_t"));
      assertThat((Throwable) executed).hasMessageContaining("no_such_t");
      assertThat(executed.getSuppressed()).singleElement().asString().contains("close failed");
      // prepared fine, fails as it runs
      String failing = "(select i from range(3) t(i) where cast(i::varchar || 'x' as int) > 0) q";
      SQLException queried = catchThrowableOfType(SQLException.class, () -> on.count(failing));
      assertThat((Throwable) queried).hasMessageContaining("0x");
      assertThat(queried.getSuppressed()).singleElement().asString().contains("close failed");
    }
  }

  /** {@code real}, whose statements close and then fail to say so. */
  private static Connection closeFails(Connection real) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, m, args) -> {
              Object out = invoke(m, real, args);
              if (out instanceof PreparedStatement ps) {
                return closeFails(ps, PreparedStatement.class);
              }
              if (out instanceof Statement st) {
                return closeFails(st, Statement.class);
              }
              return out;
            });
  }

  private static Object closeFails(Statement real, Class<?> type) {
    return Proxy.newProxyInstance(
        type.getClassLoader(),
        new Class<?>[] {type},
        (proxy, m, args) -> {
          Object out = invoke(m, real, args);
          if (m.getName().equals("close")) {
            throw new SQLException("close failed");
          }
          return out;
        });
  }

  private static Object invoke(java.lang.reflect.Method m, Object on, Object[] args)
      throws Throwable {
    try {
      return m.invoke(on, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
