package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.StateStore;
import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A `weir run` killed with SIGKILL in the middle of a PostgreSQL COPY, then resumed. */
class KilledLoadTest {
  private static final long ROWS = 2_000_000;

  @TempDir Path dir;

  @Test
  void a_load_killed_mid_copy_and_resumed_leaves_every_row_once() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    String schema = TestDatabases.schemaOf(url);
    // a name no other test process uses, so the COPY watched for below is this test's
    String big = ("big_" + schema).toLowerCase(java.util.Locale.ROOT);
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      duck.createStatement()
          .execute(
              "COPY (SELECT range AS id, 'row ' || range AS label FROM range("
                  + ROWS
                  + ")) TO '"
                  + dir.resolve("rows.csv")
                  + "' (FORMAT csv, HEADER true)");
    }
    Files.writeString(dir.resolve("weir.yaml"), "connections:\n  pg: {url: '" + url + "'}\n");
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        id: killed_load
        tasks:
          - id: rows
            type: file.read
            path: rows.csv
          - id: load
            type: jdbc.load
            dataset: rows
            connection: pg
            table: %s
        """
            .formatted(big));
    Path home = dir.resolve("home");
    Process child = Cli.child(dir, Map.of(), "run", "flow.yaml", "--home", home.toString());
    try (Connection pg = DriverManager.getConnection(url)) {
      assertThat(copyStarted(pg, big, child)).as("the COPY was seen running").isTrue();
      child.destroyForcibly(); // SIGKILL in the middle of the COPY
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      // the server rolls the killed connection's transaction back
      assertThat(count(pg, "SELECT count(*) FROM " + big)).isZero();

      String runId;
      try (StateStore store = JdbcStateStore.h2(home)) {
        runId = store.listRuns(StateStore.RunQuery.latest(1)).get(0).id();
      }
      Cli.Result resumed = Cli.run("resume", runId, "--home", home.toString());
      assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
      assertThat(count(pg, "SELECT count(*) FROM " + big)).isEqualTo(ROWS);
      assertThat(count(pg, "SELECT count(DISTINCT id) FROM " + big)).isEqualTo(ROWS);

      // resuming or retrying again adds nothing: the run appended its rows already
      Cli.Result again = Cli.run("resume", runId, "--home", home.toString());
      assertThat(again.exit()).isEqualTo(2);
      assertThat(count(pg, "SELECT count(*) FROM " + big)).isEqualTo(ROWS);
    } finally {
      child.destroyForcibly();
    }
  }

  /** Waits (at most 60 s) until the child's COPY into the schema is running. */
  private static boolean copyStarted(Connection pg, String table, Process child) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && child.isAlive()) {
      if (count(
              pg,
              "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE"
                  + " 'COPY %"
                  + table
                  + "%' AND pid <> pg_backend_pid()")
          > 0) {
        // let some rows arrive before the kill
        Thread.sleep(200);
        return child.isAlive();
      }
      Thread.sleep(20);
    }
    return false;
  }

  private static long count(Connection c, String sql) throws Exception {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
