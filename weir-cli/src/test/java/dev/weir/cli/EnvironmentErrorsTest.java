package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.testing.DuckLockHolder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expected failures of the machine around Weir print one line saying what happened and what to do,
 * exit 2, and keep the stack trace for the log file.
 */
class EnvironmentErrorsTest {
  static final String FLOW =
      """
      id: hello
      namespace: team.a
      tasks:
        - {id: greet, type: log, message: "hello"}
      """;

  @TempDir Path dir;
  Path log;

  @BeforeEach
  void logToTheTestDirectory() {
    log = dir.resolve("logs/weir.log");
    System.setProperty("weir.logFile", log.toString());
  }

  @AfterEach
  void forgetTheLogFile() {
    System.clearProperty("weir.logFile");
  }

  @Test
  void a_home_under_a_regular_file_says_so_and_how_to_choose_another() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "a file, not a directory");
    Path flow = Files.writeString(dir.resolve("hello.yaml"), FLOW);

    var r = Cli.run("run", flow.toString(), "--home", file.resolve("home").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: cannot create the Weir home "
                + file.resolve("home")
                + ": "
                + file
                + " is a file, not a directory; choose another home with --home (or set"
                + " WEIR_HOME)\n");
    assertThat(Files.readString(log))
        .contains(" DEBUG weir run: cannot create the Weir home ")
        .contains("\tat ");
  }

  @Test
  void a_port_in_use_names_it_and_the_option_and_starts_nothing() throws Exception {
    try (var taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Path home = dir.resolve("home");

      var r = Cli.run("server", "--port", String.valueOf(port), "--home", home.toString());

      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.out()).isEmpty(); // no API token made for a server that cannot start
      assertThat(r.err())
          .isEqualTo(
              "error: port "
                  + port
                  + " on 127.0.0.1 is in use; stop the process that holds it, or choose another"
                  + " port with --port\n");
      assertThat(home).doesNotExist();
      assertThat(Files.readString(log)).contains(" DEBUG weir server: port ").contains("\tat ");
    }
  }

  @Test
  void a_database_that_refuses_connections_is_named_with_its_password_masked() throws Exception {
    int closed;
    try (var s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closed + "/x?user=weir&password=hunter2";

    var r = Cli.run("runs", "list", "--db", url);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: cannot connect to the state store at jdbc:postgresql://127.0.0.1:"
                + closed
                + "/x?user=weir&password=******: connection refused; is PostgreSQL running at"
                + " 127.0.0.1:"
                + closed
                + "? Start it, or give the right address with --db\n");
    assertThat(Files.readString(log)).doesNotContain("hunter2").contains("\tat ");
  }

  @Test
  void a_password_in_the_user_part_of_a_url_never_shows() throws Exception {
    var r = Cli.run("runs", "list", "--db", "jdbc:postgresql://weir:hunter2@127.0.0.1:1/x");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: cannot connect to the state store at jdbc:postgresql://weir:******@127.0.0.1:1/x:"
                + " unknown host; PostgreSQL's driver takes no user:password@ before the host;"
                + " give them as ?user=…&password=…\n");
    assertThat(Files.readString(log)).doesNotContain("hunter2");
  }

  @Test
  void a_home_this_user_may_not_write_says_permission_denied_not_h2_internals() throws Exception {
    assumeTrue(AsNobody.available(), "needs root and setpriv to run as nobody");
    AsNobody.open(dir);
    openLogs();
    Path flow = Files.writeString(dir.resolve("hello.yaml"), FLOW);
    Path home = dir.resolve("home");
    assertThat(Cli.run("run", flow.toString(), "--home", home.toString()).exit()).isZero();

    var r = AsNobody.run(dir, "runs", "list", "--home", home.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: cannot write "
                + home
                + ": permission denied; choose another home with --home (or set WEIR_HOME), or"
                + " run as the user who owns it\n");
  }

  @Test
  void a_store_file_this_user_may_not_write_says_permission_denied_not_auto_server()
      throws Exception {
    assumeTrue(AsNobody.available(), "needs root and setpriv to run as nobody");
    AsNobody.open(dir);
    openLogs();
    Path flow = Files.writeString(dir.resolve("hello.yaml"), FLOW);
    Path home = dir.resolve("home");
    assertThat(Cli.run("run", flow.toString(), "--home", home.toString()).exit()).isZero();
    // the directory is open to all, the store file is not: H2 would open it read-only and then
    // refuse with "Feature not supported: AUTO_SERVER=TRUE && (readOnly || …)"
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));

    var r = AsNobody.run(dir, "runs", "list", "--home", home.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: cannot write "
                + home.resolve("state.mv.db")
                + ": permission denied; choose another home with --home (or set WEIR_HOME), or"
                + " run as the user who owns it\n");
  }

  @Test
  void a_flow_file_this_user_may_not_read_says_permission_denied() throws Exception {
    assumeTrue(AsNobody.available(), "needs root and setpriv to run as nobody");
    AsNobody.open(dir);
    Path flow = Files.writeString(dir.resolve("private.yaml"), FLOW);
    Files.setPosixFilePermissions(flow, PosixFilePermissions.fromString("rw-------"));

    var r = AsNobody.run(dir, "validate", flow.toString());

    assertThat(r.exit()).isEqualTo(2);
    // validate reports an unreadable file as one invalid file and goes on with the others
    assertThat(r.err())
        .isEqualTo(
            "invalid  "
                + flow
                + "\n  cannot read flow file "
                + flow
                + ": permission denied; make it readable for this user (e.g. chmod a+r), or run"
                + " as its owner\n");
  }

  @Test
  void a_warehouse_locked_by_another_process_is_waited_for_then_named_with_its_pid()
      throws Exception {
    Path file = dir.resolve("warehouse.duckdb");
    Process holder = DuckLockHolder.start(file, 60_000);
    try {
      Process sql =
          Cli.child(
              dir,
              Map.of("WEIR_DUCKDB_LOCK_WAIT", "1s", "WEIR_LOG_FILE", log.toString()),
              "sql",
              file.toString(),
              "SELECT 1");
      assertThat(sql.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(sql.exitValue()).isEqualTo(2);
      assertThat(Files.readString(dir.resolve("child.err")))
          .endsWith(
              "error: "
                  + file
                  + " is locked by another process (PID "
                  + holder.pid()
                  + ": java dev.weir.testing.DuckLockHolder "
                  + file
                  + " 60000); waited 1s; stop that process, or wait longer with"
                  + " WEIR_DUCKDB_LOCK_WAIT (e.g. 60s)\n")
          .doesNotContain("\tat ");
    } finally {
      holder.destroyForcibly().waitFor();
    }
  }

  @Test
  void a_warehouse_this_user_may_not_write_fails_the_load_once_with_one_line() throws Exception {
    assumeTrue(AsNobody.available(), "needs root and setpriv to run as nobody");
    AsNobody.open(dir);
    Path closed = Files.createDirectories(dir.resolve("closed")); // root's, 755
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path flow =
        Files.writeString(
            dir.resolve("load.yaml"),
            """
            id: load
            namespace: team.a
            retry: {attempts: 3, delay: 1s}
            tasks:
              - {id: rows, type: sql.transform, sql: "SELECT 1 AS a"}
              - id: load
                type: jdbc.load
                dataset: rows
                url: "jdbc:duckdb:%s"
                table: t
            """
                .formatted(closed.resolve("w.duckdb")));

    var r = AsNobody.run(dir, "run", flow.toString(), "--home", home.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out() + r.err())
        .contains(
            "Error: task 'load' failed: cannot open the DuckDB file "
                + closed.resolve("w.duckdb")
                + ": permission denied; make it and its directory writable for this user, or"
                + " point the URL elsewhere\n")
        .doesNotContain("\tat ")
        .doesNotContain("attempt 2");
  }

  private void openLogs() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxrwx"));
  }
}
