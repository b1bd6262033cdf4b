package dev.weir.tasks.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.Reschedule;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.TestContext;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wait.sql on real databases: H2, SQLite and DuckDB files, PostgreSQL. */
class WaitSqlTaskTest {
  @TempDir Path dir;

  private final WaitSqlTask task = new WaitSqlTask();

  private static final String CHECK =
      "sql: SELECT count(*) FROM loads WHERE load_day = :day\nparams: {day: '2026-12-03'}\ninterval: 5m\n";

  /** No row for the day: not yet; once the row is there, the value is the count. */
  private void waitsUntilTheRowExists(String url) throws Exception {
    var ctx = new TestContext(dir).connection("db", url);
    exec(url, "CREATE TABLE loads (load_day VARCHAR(10), rows_loaded INT)");
    assertThatThrownBy(() -> ctx.run("ready", task, "connection: db\n" + CHECK))
        .isInstanceOfSatisfying(
            Reschedule.class,
            r -> {
              assertThat(r.recheckIn()).isEqualTo(Duration.ofMinutes(5));
              assertThat(r.getMessage())
                  .isEqualTo("wait.sql: the query returned 0, not a true value");
            });
    assertThat(ctx.log()).isEmpty(); // the engine logs the reason, with the next check's time
    exec(url, "INSERT INTO loads VALUES ('2026-12-03', 42)");
    Object value = ctx.run("ready", task, "connection: db\n" + CHECK).outputs().get("value");
    assertThat(((Number) value).longValue()).isEqualTo(1);
  }

  private static void exec(String url, String sql) throws Exception {
    try (var c = DriverManager.getConnection(url)) {
      c.createStatement().execute(sql);
    }
  }

  @Test
  void h2_file() throws Exception {
    waitsUntilTheRowExists("jdbc:h2:" + dir.resolve("h2db").toAbsolutePath());
  }

  @Test
  void sqlite_file() throws Exception {
    waitsUntilTheRowExists("jdbc:sqlite:" + dir.resolve("s.db").toAbsolutePath());
  }

  @Test
  void duckdb_file() throws Exception {
    waitsUntilTheRowExists("jdbc:duckdb:" + dir.resolve("d.duckdb").toAbsolutePath());
  }

  @Test
  void mariadb() throws Exception {
    waitsUntilTheRowExists(TestDatabases.freshMysqlDatabaseUrl());
  }

  @Test
  void postgresql() throws Exception {
    waitsUntilTheRowExists(TestDatabases.freshPostgresSchemaUrl());
  }

  @Test
  void no_row_false_and_text_values_are_not_yet_other_values_are_true() throws Exception {
    String url = "jdbc:h2:" + dir.resolve("v").toAbsolutePath();
    var ctx = new TestContext(dir).connection("db", url);
    exec(url, "CREATE TABLE t (v VARCHAR(20))");
    assertThatThrownBy(() -> ctx.run("w", task, "connection: db\nsql: SELECT v FROM t"))
        .isInstanceOf(Reschedule.class)
        .hasMessage("wait.sql: the query returned no row");
    for (String falsy : new String[] {"false", "0", " FALSE ", ""}) {
      exec(url, "DELETE FROM t; INSERT INTO t VALUES ('" + falsy + "')");
      assertThatThrownBy(() -> ctx.run("w", task, "connection: db\nsql: SELECT v FROM t"))
          .as(falsy)
          .isInstanceOfSatisfying(
              Reschedule.class, r -> assertThat(r.recheckIn()).isEqualTo(Duration.ofSeconds(30)));
    }
    exec(url, "DELETE FROM t; INSERT INTO t VALUES ('2026-12-03')");
    assertThat(ctx.run("w", task, "connection: db\nsql: SELECT v FROM t").outputs())
        .containsEntry("value", "2026-12-03");
    assertThat(ctx.run("w", task, "connection: db\nsql: SELECT 1 = 1").outputs())
        .containsEntry("value", true);
    assertThatThrownBy(() -> ctx.run("w", task, "connection: db\nsql: SELECT NULL"))
        .isInstanceOf(Reschedule.class);
  }

  @Test
  void bad_sql_fails_permanently_naming_the_query() throws Exception {
    String url = "jdbc:h2:" + dir.resolve("bad").toAbsolutePath();
    var ctx = new TestContext(dir).connection("db", url);
    assertThatThrownBy(() -> ctx.run("w", task, "connection: db\nsql: SELECT x FROM no_such_table"))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageStartingWith(
            "wait.sql: the query (SELECT x FROM no_such_table) failed on connection 'db':");
  }

  @Test
  void an_unreachable_database_is_not_yet_and_says_so_as_a_warning() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var ctx =
        new TestContext(dir)
            .connection("db", "jdbc:postgresql://127.0.0.1:" + port + "/x?connectTimeout=2");
    assertThatThrownBy(() -> ctx.run("w", task, "connection: db\nsql: SELECT 1\ninterval: 10s"))
        .isInstanceOfSatisfying(
            Reschedule.class, r -> assertThat(r.recheckIn()).isEqualTo(Duration.ofSeconds(10)))
        .hasMessage("wait.sql: could not check (unreachable, see the warning)");
    assertThat(ctx.log())
        .singleElement()
        .asString()
        .startsWith("WARN cannot connect to connection 'db'")
        .contains("the database could not be reached");
  }

  @Test
  void validation() {
    assertThat(TestContext.problems(task, "sql: SELECT 1"))
        .singleElement()
        .asString()
        .startsWith("neither url nor connection is given");
    assertThat(TestContext.problems(task, "connection: db\nsql: SELECT 1\ninterval: 0s"))
        .singleElement()
        .asString()
        .startsWith("interval 0ms is too short");
  }
}
