package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.RestartablePostgres;
import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code weir server} JVMs on one PostgreSQL: a node killed or stopped loses its runs to the
 * others, which finish them; no run is lost, none is doubled, and the late writes of a node that
 * comes back change nothing.
 */
class ClusterFailoverTest {
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration HEARTBEAT = Duration.ofMillis(500);

  @TempDir Path dir;
  private ClusterNodes cluster;
  private String url;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A three-task flow whose load upserts one row per input {@code n}. */
  private List<ClusterNodes.Node> start(String extract) throws Exception {
    return start(extract, TestDatabases.freshPostgresSchemaUrl());
  }

  private List<ClusterNodes.Node> start(String extract, String dbUrl) throws Exception {
    url = dbUrl;
    Path flows = Files.createDirectories(dir.resolve("flows"));
    try (Connection c = java.sql.DriverManager.getConnection(url)) {
      c.createStatement()
          .execute(
              "CREATE TABLE loaded (n INT PRIMARY KEY, run_id VARCHAR(40) NOT NULL,"
                  + " loads INT NOT NULL DEFAULT 1)");
    }
    Files.writeString(
        flows.resolve("orders.yaml"),
        """
        id: orders
        namespace: cluster
        retry: {attempts: 10, delay: 1s}
        inputs:
          - id: n
            type: int
        tasks:
          - id: extract
            type: shell
            command: %s
          - id: transform
            type: noop
            dependsOn: [extract]
          - id: load
            type: jdbc.query
            url: "%s"
            sql: >
              INSERT INTO loaded (n, run_id) VALUES (CAST(:n AS INT), :run)
              ON CONFLICT (n) DO UPDATE SET run_id = EXCLUDED.run_id, loads = loaded.loads + 1
            params: {n: "{{ inputs.n }}", run: "{{ run.id }}"}
            dependsOn: [transform]
        """
            .formatted(extract, url));
    cluster = new ClusterNodes(dir, url, flows, LEASE, HEARTBEAT);
    return cluster.start(3, "/flows/cluster/orders");
  }

  private Map<String, Integer> runStates() throws SQLException {
    var out = new HashMap<String, Integer>();
    try (Connection c = cluster.db();
        var rs =
            c.createStatement()
                .executeQuery("SELECT state, COUNT(*) FROM weir_runs GROUP BY state")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getInt(2));
      }
    }
    return out;
  }

  private int count(String sql) throws SQLException {
    try (Connection c = cluster.db();
        var rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void awaitAllSucceeded(int runs, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (runStates().getOrDefault("SUCCEEDED", 0) < runs) {
      assertThat(System.nanoTime())
          .as("all runs succeeded in time; now %s", runStates())
          .isLessThan(deadline);
      assertThat(runStates()).doesNotContainKeys("FAILED", "CANCELLED");
      Thread.sleep(200);
    }
  }

  @Test
  void a_node_killed_during_1000_runs_loses_them_to_the_others_and_every_row_is_loaded_once()
      throws Exception {
    List<ClusterNodes.Node> nodes = start("sleep 0.3");
    int runs = 1000;
    int killAt = 300;
    for (int n = 1; n < killAt; n++) {
      ClusterNodes.Node node = nodes.get(n % 3);
      assertThat(cluster.startRun(node, "cluster", "orders", "{\"n\": \"" + n + "\"}")).isNotNull();
    }
    nodes.get(0).process().destroyForcibly(); // kill -9, with runs of it going
    nodes.get(0).process().waitFor();
    long killedAt = System.nanoTime();
    var rest =
        java.util.concurrent.CompletableFuture.runAsync(() -> {
          for (int n = killAt; n <= runs; n++) {
            ClusterNodes.Node node = nodes.get(1 + n % 2);
            cluster.startRun(node, "cluster", "orders", "{\"n\": \"" + n + "\"}");
          }
        });
    // the runs of n1 are adopted within a lease after its last renewal: the first adoption is
    // timed (the others are found as soon as n1's lease lapsed); adopting them all, on two busy
    // nodes starting 700 more runs, is only bounded
    String ofN1 =
        "SELECT COUNT(*) FROM weir_runs WHERE owner LIKE 'n1#%' AND state IN ('RUNNING', 'QUEUED')";
    int orphans = count(ofN1);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Duration firstAdoption = null;
    for (int left = orphans; left > 0; left = count(ofN1)) {
      if (firstAdoption == null && left < orphans) {
        firstAdoption = Duration.ofNanos(System.nanoTime() - killedAt);
      }
      assertThat(System.nanoTime()).as("adopted in time\n%s", cluster.logs()).isLessThan(deadline);
      Thread.sleep(50);
    }
    Duration adoption = Duration.ofNanos(System.nanoTime() - killedAt);
    firstAdoption = firstAdoption == null ? adoption : firstAdoption;
    System.out.println(
        "runs of the killed node ("
            + orphans
            + ") adopted "
            + firstAdoption.toMillis()
            + " ms (first) to "
            + adoption.toMillis()
            + " ms (all) after the kill");
    assertThat(firstAdoption).isLessThan(LEASE.plus(HEARTBEAT.multipliedBy(2)).plusSeconds(2));
    assertThat(adoption).isLessThan(LEASE.multipliedBy(3).plusSeconds(10)); // and all of them soon
    rest.get(3, java.util.concurrent.TimeUnit.MINUTES);

    awaitAllSucceeded(runs, Duration.ofMinutes(4));
    assertThat(count("SELECT COUNT(*) FROM loaded")).isEqualTo(runs);
    assertThat(count("SELECT COUNT(DISTINCT n) FROM loaded")).isEqualTo(runs);
    assertThat(count("SELECT COUNT(*) FROM weir_runs")).isEqualTo(runs);
    // each run's load succeeded once: an adopted run re-ran only what was interrupted
    assertThat(
            count(
                "SELECT COUNT(*) FROM (SELECT run_id FROM weir_task_runs WHERE task_id = 'load'"
                    + " AND state = 'SUCCEEDED' GROUP BY run_id HAVING COUNT(*) > 1) x"))
        .isZero();
    int adopted = count("SELECT COUNT(DISTINCT run_id) FROM weir_task_runs WHERE state = 'FAILED'");
    System.out.println(adopted + " runs had an attempt interrupted by the kill");
  }

  @Test
  void a_node_stopped_past_its_lease_finds_its_runs_taken_and_its_late_writes_change_nothing()
      throws Exception {
    List<ClusterNodes.Node> nodes = start("sleep 2");
    ClusterNodes.Node stopped = nodes.get(0);
    int runs = 20;
    for (int n = 1; n <= runs; n++) {
      assertThat(cluster.startRun(stopped, "cluster", "orders", "{\"n\": \"" + n + "\"}"))
          .isNotNull();
    }
    stopped.signal("STOP");
    // the others take every unfinished run of n1 while it is stopped (its lease lapses 3 s after
    // its last renewal); a run n1 finished before the stop keeps its owner, as any ended run does
    long takenBy = System.nanoTime() + LEASE.multipliedBy(3).plusSeconds(5).toNanos();
    while (count(
            "SELECT COUNT(*) FROM weir_runs WHERE owner LIKE 'n1#%' AND state IN ('RUNNING', 'QUEUED')")
        > 0) {
      assertThat(System.nanoTime())
          .as("runs n1 still owned while stopped\n%s", cluster.logs())
          .isLessThan(takenBy);
      Thread.sleep(100);
    }
    stopped.signal("CONT");

    awaitAllSucceeded(runs, Duration.ofMinutes(2));
    assertThat(count("SELECT COUNT(*) FROM loaded")).isEqualTo(runs);
    // n1's attempts of extract ended after it came back; had their ends been written, a run
    // would show two successful attempts of one task
    assertThat(
            count(
                "SELECT COUNT(*) FROM (SELECT run_id, task_id FROM weir_task_runs"
                    + " WHERE state = 'SUCCEEDED' GROUP BY run_id, task_id HAVING COUNT(*) > 1) x"))
        .isZero();
    // back, n1 finds it lost its lease and gives its runs up, or first tries to write for them and
    // is fenced off: either way nothing of what it wrote late was kept (checked above)
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!stopped.log().contains("gives up the runs it executes")) {
      assertThat(System.nanoTime()).as("n1 gives up:\n%s", stopped.log()).isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(stopped.process().isAlive()).isTrue(); // it joined again and goes on
  }

  @Test
  void the_database_restarted_under_three_nodes_they_reconnect_and_finish_every_run()
      throws Exception {
    try (RestartablePostgres pg = RestartablePostgres.start()) {
      List<ClusterNodes.Node> nodes = start("sleep 1", pg.url());
      int runs = 60;
      for (int n = 1; n <= runs; n++) {
        assertThat(
                cluster.startRun(nodes.get(n % 3), "cluster", "orders", "{\"n\": \"" + n + "\"}"))
            .isNotNull();
      }
      pg.stop(); // down for longer than most of a lease: the nodes give their runs up
      Thread.sleep(LEASE.toMillis() + 1_000);
      pg.startServer();
      long back = System.nanoTime();

      awaitAllSucceeded(runs, Duration.ofMinutes(3));
      System.out.println(
          "every run finished "
              + Duration.ofNanos(System.nanoTime() - back).toMillis()
              + " ms after the database came back");
      assertThat(count("SELECT COUNT(*) FROM loaded")).isEqualTo(runs);
      for (ClusterNodes.Node node : nodes) {
        assertThat(node.process().isAlive()).as("%s lives on:%n%s", node.id(), node.log()).isTrue();
      }
      assertThat(
              count(
                  "SELECT COUNT(*) FROM (SELECT run_id, task_id FROM weir_task_runs"
                      + " WHERE state = 'SUCCEEDED' GROUP BY run_id, task_id HAVING COUNT(*) > 1) x"))
          .isZero();
    }
  }

  @Test
  void a_run_adopted_from_a_dead_node_reads_what_its_tasks_staged_from_the_shared_staging()
      throws Exception {
    url = TestDatabases.freshPostgresSchemaUrl();
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Path input = dir.resolve("orders.csv");
    Files.writeString(input, "id,amount\n1,10\n2,20\n3,30\n");
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(
        flows.resolve("files.yaml"),
        """
        id: files
        namespace: cluster
        tasks:
          - id: extract
            type: file.read
            path: %s
          - id: wait
            type: shell
            command: sleep 2
            dependsOn: [extract]
          - id: write
            type: file.write
            dataset: extract
            path: "%s/{{ run.id }}.csv"
            dependsOn: [wait]
        """
            .formatted(input, out));
    cluster =
        new ClusterNodes(dir, url, flows, LEASE, HEARTBEAT)
            .staging(Files.createDirectories(dir.resolve("shared-staging")));
    List<ClusterNodes.Node> nodes = cluster.start(2, "/flows/cluster/files");
    ClusterNodes.Node first = nodes.get(0);
    String body = cluster.startRun(first, "cluster", "files", "{}");
    String runId =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("runId").asText();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (count(
            "SELECT COUNT(*) FROM weir_task_runs WHERE run_id = '"
                + runId
                + "' AND task_id = 'wait' AND state = 'RUNNING'")
        == 0) {
      assertThat(System.nanoTime()).as(cluster.logs()).isLessThan(deadline);
      Thread.sleep(50);
    }
    first.process().destroyForcibly();
    first.process().waitFor();
    Cli.deleteTree(first.dir().resolve("home")); // its machine is gone, and its disk with it

    awaitAllSucceeded(1, Duration.ofSeconds(60));
    assertThat(Files.readString(out.resolve(runId + ".csv"))).contains("1,10").contains("3,30");
    // extract ran once, on the dead node: its staged dataset was read from the shared staging
    assertThat(
            count(
                "SELECT COUNT(*) FROM weir_task_runs WHERE run_id = '"
                    + runId
                    + "' AND task_id = 'extract'"))
        .isEqualTo(1);
  }
}
