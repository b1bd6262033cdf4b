package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A scheduler node and {@code weir worker} processes on one PostgreSQL: every task runs on a
 * worker; a worker killed or stopped in the middle loses its attempts to the others, and what it
 * writes late changes nothing.
 */
class WorkerFailoverTest {
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration HEARTBEAT = Duration.ofMillis(500);

  @TempDir Path dir;
  private ClusterNodes cluster;
  private String url;
  private ClusterNodes.Node scheduler;
  private List<ClusterNodes.Node> workers;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** One scheduler, three workers, and a three-task flow whose load upserts a row per input. */
  private void start() throws Exception {
    url = TestDatabases.freshPostgresSchemaUrl();
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
            command: sleep 0.3
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
            .formatted(url));
    cluster =
        new ClusterNodes(dir, url, flows, LEASE, HEARTBEAT)
            .staging(Files.createDirectories(dir.resolve("staging")))
            .serverArgs("--role", "scheduler");
    scheduler = cluster.start(1, "/flows/cluster/orders").getFirst();
    workers = cluster.startWorkers(3, "w");
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
          .as("all runs succeeded in time; now %s\n%s", runStates(), cluster.logs())
          .isLessThan(deadline);
      assertThat(runStates()).doesNotContainKeys("FAILED", "CANCELLED");
      Thread.sleep(200);
    }
  }

  private void startRuns(int from, int to) {
    for (int n = from; n <= to; n++) {
      assertThat(cluster.startRun(scheduler, "cluster", "orders", "{\"n\": \"" + n + "\"}"))
          .isNotNull();
    }
  }

  private void assertEachRowOnceAndEveryTaskOnWorkers(int runs) throws SQLException {
    assertThat(count("SELECT COUNT(*) FROM loaded")).isEqualTo(runs);
    assertThat(count("SELECT COUNT(DISTINCT n) FROM loaded")).isEqualTo(runs);
    assertThat(
            count(
                "SELECT COUNT(*) FROM (SELECT run_id FROM weir_task_runs WHERE task_id = 'load'"
                    + " AND state = 'SUCCEEDED' GROUP BY run_id HAVING COUNT(*) > 1) x"))
        .isZero();
    assertThat(count("SELECT COUNT(*) FROM weir_logs WHERE message LIKE 'runs on worker w%'"))
        .as("every attempt ran on a worker")
        .isGreaterThanOrEqualTo(3 * runs);
    assertThat(count("SELECT COUNT(*) FROM weir_attempt_queue")).as("only live work").isZero();
  }

  @Test
  void a_worker_killed_in_the_middle_loses_its_attempts_to_the_others() throws Exception {
    start();
    int runs = 150;
    startRuns(1, 60);
    ClusterNodes.Node killed = workers.getFirst();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (count("SELECT COUNT(*) FROM weir_attempt_queue WHERE claimed_node = 'w1'") == 0) {
      assertThat(System.nanoTime()).as("w1 claimed work\n%s", cluster.logs()).isLessThan(deadline);
      Thread.sleep(20);
    }
    killed.process().destroyForcibly(); // kill -9, attempts of it claimed
    killed.process().waitFor();
    long killedAt = System.nanoTime();
    var rest = java.util.concurrent.CompletableFuture.runAsync(() -> startRuns(61, runs));
    while (count("SELECT COUNT(*) FROM weir_attempt_queue WHERE claimed_node = 'w1'") > 0) {
      assertThat(System.nanoTime()).as("requeued in time\n%s", cluster.logs()).isLessThan(deadline);
      Thread.sleep(50);
    }
    Duration requeued = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.println(
        "attempts of the killed worker queued again after " + requeued.toMillis() + " ms");
    assertThat(requeued).isLessThan(LEASE.plusSeconds(3));
    rest.get(2, java.util.concurrent.TimeUnit.MINUTES);

    awaitAllSucceeded(runs, Duration.ofMinutes(3));
    assertEachRowOnceAndEveryTaskOnWorkers(runs);
  }

  @Test
  void a_worker_stopped_past_its_lease_stores_nothing_late() throws Exception {
    start();
    int runs = 40;
    startRuns(1, runs);
    ClusterNodes.Node stopped = workers.getFirst();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (count("SELECT COUNT(*) FROM weir_attempt_queue WHERE claimed_node = 'w1'") == 0) {
      assertThat(System.nanoTime()).as("w1 claimed work").isLessThan(deadline);
      Thread.sleep(20);
    }
    stopped.signal("STOP");
    Thread.sleep(LEASE.multipliedBy(2).toMillis());
    stopped.signal("CONT");

    awaitAllSucceeded(runs, Duration.ofMinutes(2));
    assertEachRowOnceAndEveryTaskOnWorkers(runs);
    // the woken worker found its claims gone: it stops, or its results are refused
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!stopped.log().contains("claim was lost") && !stopped.log().contains("stops:")) {
      assertThat(System.nanoTime()).as("w1 noticed\n%s", stopped.log()).isLessThan(until);
      Thread.sleep(100);
    }
  }
}
