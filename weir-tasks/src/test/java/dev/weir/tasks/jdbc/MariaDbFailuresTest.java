package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weir.testing.TestDatabases;
import dev.weir.util.SqlFailures;
import dev.weir.util.SqlFailures.Kind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** MariaDB's own failures, produced by a real server, classified as Weir retries them. */
class MariaDbFailuresTest {

  @Test
  void a_killed_connection_is_a_connection_failure() throws Exception {
    String url = TestDatabases.freshMysqlDatabaseUrl();
    try (Connection victim = DriverManager.getConnection(url);
        Connection admin = DriverManager.getConnection(url)) {
      long id;
      try (ResultSet rs = victim.createStatement().executeQuery("SELECT CONNECTION_ID()")) {
        rs.next();
        id = rs.getLong(1);
      }
      admin.createStatement().execute("KILL CONNECTION " + id);
      SQLException e =
          assertThrows(SQLException.class, () -> victim.createStatement().execute("SELECT 1"));
      assertThat(SqlFailures.classify(e))
          .as(e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage())
          .isEqualTo(Kind.CONNECTION);
    }
  }

  @Test
  void a_deadlock_and_a_lock_wait_timeout_are_transient() throws Exception {
    String url = TestDatabases.freshMysqlDatabaseUrl();
    try (Connection a = DriverManager.getConnection(url);
        Connection b = DriverManager.getConnection(url)) {
      a.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
      a.createStatement().execute("INSERT INTO t VALUES (1, 0), (2, 0)");
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      b.createStatement().execute("SET innodb_lock_wait_timeout = 1");
      a.createStatement().execute("UPDATE t SET v = 1 WHERE id = 1");
      SQLException timeout =
          assertThrows(
              SQLException.class,
              () -> b.createStatement().execute("UPDATE t SET v = 2 WHERE id = 1"));
      assertThat(timeout.getErrorCode()).isEqualTo(1205);
      assertThat(SqlFailures.classify(timeout)).isEqualTo(Kind.TRANSIENT);
      b.rollback();

      b.createStatement().execute("SET innodb_lock_wait_timeout = 30");
      b.createStatement().execute("UPDATE t SET v = 1 WHERE id = 2");
      var barrier = new CyclicBarrier(2);
      var fromA = cross(a, 2, barrier);
      var fromB = cross(b, 1, barrier);
      SQLException ea = fromA.get(60, TimeUnit.SECONDS);
      SQLException eb = fromB.get(60, TimeUnit.SECONDS);
      SQLException deadlock = ea != null ? ea : eb;
      assertThat((Object) deadlock).isNotNull();
      assertThat(deadlock.getErrorCode()).isEqualTo(1213);
      assertThat(SqlFailures.classify(deadlock)).isEqualTo(Kind.TRANSIENT);
      a.rollback();
      b.rollback();
    }
  }

  @Test
  void a_missing_table_a_duplicate_key_and_refused_credentials_are_permanent() throws Exception {
    String url = TestDatabases.freshMysqlDatabaseUrl();
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY)");
      c.createStatement().execute("INSERT INTO t VALUES (1)");
      SQLException missing =
          assertThrows(SQLException.class, () -> c.createStatement().execute("SELECT * FROM nope"));
      SQLException duplicate =
          assertThrows(
              SQLException.class, () -> c.createStatement().execute("INSERT INTO t VALUES (1)"));
      assertThat(SqlFailures.classify(missing)).isEqualTo(Kind.PERMANENT);
      assertThat(SqlFailures.classify(duplicate)).isEqualTo(Kind.PERMANENT);
    }
    String wrongUser = url.replaceFirst("user=[^&]*", "user=weir_no_such_user");
    SQLException refused =
        assertThrows(SQLException.class, () -> DriverManager.getConnection(wrongUser));
    assertThat(refused.getSQLState()).startsWith("28");
    assertThat(SqlFailures.classify(refused)).isEqualTo(Kind.PERMANENT);
  }

  private static CompletableFuture<SQLException> cross(Connection c, int id, CyclicBarrier b) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            b.await(10, TimeUnit.SECONDS);
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
}
