package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.BinlogMariaDb;
import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `weir run` of a cdc.mysql flow reading a binlog MariaDB of the test's own into PostgreSQL: until
 * caught up, and Weir killed mid-stream then run again.
 */
class CdcMysqlCliTest {
  private static BinlogMariaDb db;

  @TempDir Path dir;
  private String warehouse;

  @BeforeAll
  static void startMariaDb() throws Exception {
    db = BinlogMariaDb.start();
    sql(db.url("mysql"), "CREATE DATABASE shop");
  }

  @AfterAll
  static void stopMariaDb() {
    if (db != null) {
      db.close();
    }
  }

  private void flow(String table) throws Exception {
    warehouse = TestDatabases.freshPostgresSchemaUrl();
    Files.writeString(
        dir.resolve("weir.yaml"),
        "connections:\n  maria: {url: '"
            + db.url("shop")
            + "'}\n  pg: {url: '"
            + warehouse
            + "'}\n");
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        id: cdc_mysql_cli
        tasks:
          - id: stream
            type: cdc.mysql
            connection: maria
            tables: [shop.%s]
            target: {connection: pg}
            maxBatch: 500
            maxLatency: 100ms
        """
            .formatted(table));
  }

  @Test
  void until_caught_up_ends_a_streaming_task_once_it_applied_what_was_there() throws Exception {
    sql(db.url("shop"), "CREATE TABLE cli_orders (id int PRIMARY KEY, v varchar(20))");
    for (int i = 1; i <= 300; i += 100) {
      var values = new StringBuilder();
      for (int j = i; j < i + 100; j++) {
        values
            .append(j == i ? "" : ", ")
            .append("(")
            .append(j)
            .append(", 'v")
            .append(j)
            .append("')");
      }
      sql(db.url("shop"), "INSERT INTO cli_orders VALUES " + values);
    }
    flow("cli_orders");
    String home = dir.resolve("home").toString();

    Cli.Result r =
        Cli.run(
            Cli.at(dir, dir, System.getenv()),
            "run",
            "--until-caught-up",
            "flow.yaml",
            "--home",
            home);

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    String all = "SELECT id, v FROM cli_orders ORDER BY id";
    assertThat(rows(warehouse, all)).hasSize(300).isEqualTo(rows(db.url("shop"), all));

    // a second run streams only what changed, its schema history read back from the state store
    sql(db.url("shop"), "UPDATE cli_orders SET v = 'again' WHERE id <= 5");
    Cli.Result again =
        Cli.run(
            Cli.at(dir, dir, System.getenv()),
            "run",
            "--until-caught-up",
            "flow.yaml",
            "--home",
            home);
    assertThat(again.exit()).as(again.out() + again.err()).isZero();
    assertThat(rows(warehouse, all)).isEqualTo(rows(db.url("shop"), all));
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no schema history or offsets file")
          .noneMatch(n -> n.contains("history") || n.endsWith(".dat"));
    }
  }

  @Test
  void a_weir_killed_mid_stream_loses_and_doubles_nothing() throws Exception {
    sql(db.url("shop"), "CREATE TABLE cli_storm (id int PRIMARY KEY, v int, hits int)");
    var values = new StringBuilder();
    for (int i = 1; i <= 2000; i++) {
      values.append(i == 1 ? "" : ", ").append("(").append(i).append(", ").append(i).append(", 0)");
    }
    sql(db.url("shop"), "INSERT INTO cli_storm VALUES " + values);
    flow("cli_storm");
    String home = dir.resolve("home").toString();
    Process child = Cli.child(dir, Map.of(), "run", "flow.yaml", "--home", home);
    var storming = new AtomicBoolean(true);
    Thread storm = Thread.ofPlatform().start(() -> storm(storming));
    try {
      // a few batches in, while changes keep coming: SIGKILL
      Cli.waitFor(
          dir,
          child,
          () -> {
            try {
              return count(warehouse, "SELECT coalesce(sum(hits), 0) FROM cli_storm") > 300;
            } catch (java.sql.SQLException e) {
              return false; // the target table is not made yet
            }
          });
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      storming.set(false);
      storm.join(30_000);
      child.destroyForcibly();
    }

    // run again until caught up: from the stored offset, the target comes to equal the source
    Cli.Result again =
        Cli.run(
            Cli.at(dir, dir, System.getenv()),
            "run",
            "--until-caught-up",
            "flow.yaml",
            "--home",
            home);
    assertThat(again.exit()).as(again.out() + again.err()).isZero();
    String query = "SELECT id, v, hits FROM cli_storm ORDER BY id";
    assertThat(rows(warehouse, query)).isEqualTo(rows(db.url("shop"), query));
  }

  /** Updates, inserts and deletes in small transactions until told to stop (at most 60 s). */
  private static void storm(AtomicBoolean going) {
    var random = new Random(3);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Connection c = DriverManager.getConnection(db.url("shop"))) {
      int next = 100_000;
      c.setAutoCommit(false);
      while (going.get() && System.nanoTime() < deadline) {
        for (int i = 0; i < 20; i++) {
          int id = 1 + random.nextInt(2000);
          switch (random.nextInt(4)) {
            case 0 ->
                c.createStatement().execute("INSERT INTO cli_storm VALUES (" + next++ + ", 0, 1)");
            case 1 -> c.createStatement().execute("DELETE FROM cli_storm WHERE id = " + id);
            default ->
                c.createStatement()
                    .execute("UPDATE cli_storm SET hits = hits + 1, v = v + 1 WHERE id = " + id);
          }
        }
        c.commit();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sql(String url, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      for (String s : statements) {
        c.createStatement().execute(s);
      }
    }
  }

  private static long count(String url, String query) throws java.sql.SQLException {
    try (Connection c = DriverManager.getConnection(url);
        ResultSet rs = c.createStatement().executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<String> rows(String url, String query) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        ResultSet rs = c.createStatement().executeQuery(query)) {
      var out = new ArrayList<String>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        var sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        out.add(sb.toString());
      }
      return out;
    }
  }
}
