package dev.weir.util;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weir.testing.TestDatabases;
import dev.weir.util.SqlFailures.Kind;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SqlFailuresTest {

  @Test
  void a_backend_terminated_by_an_administrator_is_a_connection_failure() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    try (Connection victim = DriverManager.getConnection(url);
        Connection admin = DriverManager.getConnection(url)) {
      terminate(admin, victim);
      SQLException e = failureOf(victim, "SELECT 1");
      assertThat(e.getSQLState()).isEqualTo("57P01");
      assertThat(SqlFailures.classify(e)).isEqualTo(Kind.CONNECTION);
      assertThat(SqlFailures.stateSuffix(e)).isEqualTo(" (SQLSTATE 57P01)");
      // the next use of the dead connection fails with class 08
      SQLException next = failureOf(victim, "SELECT 1");
      assertThat(SqlFailures.classify(next)).isEqualTo(Kind.CONNECTION);
    }
  }

  @Test
  void hikaris_closed_connection_after_a_lost_backend_is_a_connection_failure() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    var config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(1);
    try (var ds = new HikariDataSource(config);
        Connection admin = DriverManager.getConnection(url);
        Connection pooled = ds.getConnection()) {
      pooled.setAutoCommit(false);
      terminate(admin, pooled);
      SQLException first = failureOf(pooled, "SELECT 1");
      // HikariCP evicts the connection; every later call says only "Connection is closed"
      SQLException closed =
          org.junit.jupiter.api.Assertions.assertThrows(
              SQLException.class, () -> pooled.setAutoCommit(true));
      assertThat(closed.getMessage()).isEqualTo("Connection is closed");
      assertThat(closed.getSQLState()).isNull();
      assertThat(SqlFailures.classify(closed)).isEqualTo(Kind.CONNECTION);
      assertThat(SqlFailures.classify(first)).isEqualTo(Kind.CONNECTION);
    }
  }

  @Test
  void a_deadlock_is_transient() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    try (Connection a = DriverManager.getConnection(url);
        Connection b = DriverManager.getConnection(url)) {
      a.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
      a.createStatement().execute("INSERT INTO t VALUES (1, 0), (2, 0)");
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      a.createStatement().execute("UPDATE t SET v = 1 WHERE id = 1");
      b.createStatement().execute("UPDATE t SET v = 1 WHERE id = 2");
      var barrier = new CyclicBarrier(2);
      CompletableFuture<SQLException> fromA = crossUpdate(a, 2, barrier);
      CompletableFuture<SQLException> fromB = crossUpdate(b, 1, barrier);
      SQLException a1 = fromA.get(30, TimeUnit.SECONDS);
      SQLException b1 = fromB.get(30, TimeUnit.SECONDS);
      SQLException deadlock = a1 != null ? a1 : b1;
      assertThat((Object) deadlock).isNotNull();
      assertThat(deadlock.getSQLState()).isEqualTo("40P01");
      assertThat(SqlFailures.classify(deadlock)).isEqualTo(Kind.TRANSIENT);
      a.rollback();
      b.rollback();
    }
  }

  @Test
  void a_serialization_failure_is_transient() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    try (Connection a = DriverManager.getConnection(url);
        Connection b = DriverManager.getConnection(url)) {
      a.createStatement().execute("CREATE TABLE t (v INT)");
      for (Connection c : new Connection[] {a, b}) {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        c.createStatement().executeQuery("SELECT count(*) FROM t").close();
      }
      a.createStatement().execute("INSERT INTO t VALUES (1)");
      b.createStatement().execute("INSERT INTO t VALUES (2)");
      a.commit();
      SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, b::commit);
      assertThat(e.getSQLState()).isEqualTo("40001");
      assertThat(SqlFailures.classify(e)).isEqualTo(Kind.TRANSIENT);
    }
  }

  @Test
  void bad_sql_a_missing_table_and_a_duplicate_key_are_permanent() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY)");
      c.createStatement().execute("INSERT INTO t VALUES (1)");
      SQLException missing = failureOf(c, "SELECT * FROM no_such_table");
      SQLException syntax = failureOf(c, "SELEC 1");
      SQLException duplicate = failureOf(c, "INSERT INTO t VALUES (1)");
      SQLException division = failureOf(c, "SELECT 1 / 0");
      assertThat(missing.getSQLState()).isEqualTo("42P01");
      assertThat(syntax.getSQLState()).isEqualTo("42601");
      assertThat(duplicate.getSQLState()).isEqualTo("23505");
      assertThat(division.getSQLState()).isEqualTo("22012");
      for (SQLException e : new SQLException[] {missing, syntax, duplicate, division}) {
        assertThat(SqlFailures.classify(e)).as(e.getSQLState()).isEqualTo(Kind.PERMANENT);
      }
    }
  }

  @Test
  void permission_denied_is_permanent() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    String role = "weir_nobody_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("CREATE TABLE secret (id INT)");
      c.createStatement().execute("CREATE ROLE " + role);
      var rs = c.createStatement().executeQuery("SELECT current_schema()");
      rs.next();
      String schema = rs.getString(1);
      try {
        c.createStatement().execute("SET ROLE " + role);
        SQLException denied = failureOf(c, "SELECT * FROM " + schema + ".secret");
        assertThat(denied.getSQLState()).isEqualTo("42501");
        assertThat(SqlFailures.classify(denied)).isEqualTo(Kind.PERMANENT);
      } finally {
        c.createStatement().execute("RESET ROLE");
        c.createStatement().execute("DROP ROLE " + role);
      }
    }
  }

  @Test
  void a_refused_connection_is_a_connection_failure() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    SQLException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            SQLException.class,
            () ->
                DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + port + "/x?connectTimeout=2"));
    assertThat(e.getSQLState()).isEqualTo("08001");
    assertThat(SqlFailures.classify(e)).isEqualTo(Kind.CONNECTION);
  }

  @Test
  void a_state_beats_the_exception_type_so_a_pool_timeout_after_a_refused_password_is_permanent() {
    var refused = new SQLException("password authentication failed for user \"x\"", "28P01");
    var timeout = new SQLTransientConnectionException("pool - request timed out", "28P01", refused);
    assertThat(SqlFailures.classify(timeout)).isEqualTo(Kind.PERMANENT);
    var unreachable =
        new SQLTransientConnectionException(
            "pool - request timed out", null, new ConnectException("Connection refused"));
    assertThat(SqlFailures.classify(unreachable)).isEqualTo(Kind.CONNECTION);
  }

  @Test
  void a_lost_connection_suppressed_by_a_later_failure_is_still_found() {
    var primary = new SQLException("Connection is closed");
    var cause = new SQLException("This connection has been closed.", "08003");
    var wrapper = new RuntimeException("load failed", cause);
    assertThat(SqlFailures.classify(primary)).isEqualTo(Kind.CONNECTION);
    assertThat(SqlFailures.classify(wrapper)).isEqualTo(Kind.CONNECTION);
    var unknown = new SQLException("something odd");
    unknown.addSuppressed(new SQLException("terminating connection", "57P01"));
    assertThat(SqlFailures.classify(unknown)).isEqualTo(Kind.CONNECTION);
  }

  @Test
  void the_reason_is_the_databases_own_short_message_not_the_statement() {
    var fatal =
        new SQLException("FATAL: terminating connection due to administrator command", "57P01");
    var batch =
        new java.sql.BatchUpdateException(
            "Batch entry 0 UPDATE weir_task_runs SET run_id = ('x') ... was aborted",
            "57P01",
            new int[0],
            fatal);
    batch.setNextException(fatal);
    assertThat(SqlFailures.reason(batch))
        .isEqualTo("FATAL: terminating connection due to administrator command");
    assertThat(SqlFailures.reason(new SQLException("line one\nline two"))).isEqualTo("line one");
  }

  @Test
  void a_failure_without_state_or_known_type_is_permanent() {
    assertThat(SqlFailures.classify(new SQLException("no such column"))).isEqualTo(Kind.PERMANENT);
    assertThat(SqlFailures.classify(new IllegalStateException("x"))).isEqualTo(Kind.PERMANENT);
    assertThat(SqlFailures.classify(new java.sql.SQLTransientException("busy")))
        .isEqualTo(Kind.TRANSIENT);
    assertThat(SqlFailures.classify(new java.sql.SQLRecoverableException("gone")))
        .isEqualTo(Kind.CONNECTION);
  }

  @Test
  void h2_lock_timeout_is_transient_and_h2_missing_table_permanent() throws Exception {
    String url = "jdbc:h2:mem:sqlf" + System.nanoTime() + ";LOCK_TIMEOUT=100;DB_CLOSE_DELAY=-1";
    try (Connection a = DriverManager.getConnection(url);
        Connection b = DriverManager.getConnection(url)) {
      a.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
      a.createStatement().execute("INSERT INTO t VALUES (1, 0)");
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      a.createStatement().execute("UPDATE t SET v = 1 WHERE id = 1");
      SQLException timeout = failureOf(b, "UPDATE t SET v = 2 WHERE id = 1");
      assertThat(SqlFailures.classify(timeout)).as(timeout.getSQLState()).isEqualTo(Kind.TRANSIENT);
      a.rollback();
      SQLException missing = failureOf(b, "SELECT * FROM nope");
      assertThat(SqlFailures.classify(missing)).isEqualTo(Kind.PERMANENT);
    }
  }

  private static CompletableFuture<SQLException> crossUpdate(
      Connection c, int id, CyclicBarrier barrier) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            barrier.await(10, TimeUnit.SECONDS);
            c.createStatement().execute("UPDATE t SET v = 2 WHERE id = " + id);
            return null;
          } catch (SQLException e) {
            return e;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        r -> Thread.ofPlatform().daemon().start(r));
  }

  private static void terminate(Connection admin, Connection victim) throws SQLException {
    int pid = victim.unwrap(org.postgresql.PGConnection.class).getBackendPID();
    try (Statement st = admin.createStatement()) {
      st.execute("SELECT pg_terminate_backend(" + pid + ")");
    }
  }

  private static SQLException failureOf(Connection c, String sql) {
    return org.junit.jupiter.api.Assertions.assertThrows(
        SQLException.class, () -> c.createStatement().execute(sql));
  }
}
