package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.store.StoreAddress;
import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool of 2 on three nodes of one PostgreSQL: the tasks naming it, started on every node at once,
 * never run three at a time. Each task writes when it starts and ends to one file all nodes share.
 */
class ClusterPoolTest {
  @TempDir Path dir;
  private final List<ServerFixture> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(ServerFixture::close);
  }

  @Test
  void a_pool_of_two_across_three_nodes_never_runs_three_tasks_at_once() throws Exception {
    assertThat(mostAtOnce("", "pool: warehouse")).isEqualTo(2);
  }

  @Test
  void a_flow_limit_of_one_across_three_nodes_runs_one_run_at_a_time() throws Exception {
    assertThat(mostAtOnce("concurrency: {limit: 1, onLimit: queue}", "")).isEqualTo(1);
  }

  /** Runs 9 runs of a one-task flow, 3 started on each node, and says how many ran at once. */
  private int mostAtOnce(String flowLine, String taskLine) throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    Path trace = dir.resolve("trace.log");
    Files.createFile(trace);
    for (int i = 1; i <= 3; i++) {
      var fx = new ServerFixture(dir.resolve("n" + i));
      fx.writeFlow(
          "load.yaml",
          """
          id: load
          namespace: cluster
          %s
          tasks:
            - id: copy
              type: shell
              %s
              command: |
                echo "+ $(date +%%s%%N)" >> %s
                sleep 0.3
                echo "- $(date +%%s%%N)" >> %s
          """
              .formatted(flowLine, taskLine, trace, trace));
      fx.start(
          fx.options()
              .withStore(StoreAddress.of(url))
              .withPools(Map.of("warehouse", 2))
              .withCluster(
                  new ClusterSettings("n" + i, Duration.ofSeconds(30), Duration.ofSeconds(5))));
      nodes.add(fx);
    }
    var runs = new ArrayList<String[]>();
    for (int round = 0; round < 3; round++) {
      for (ServerFixture n : nodes) {
        String id = n.post("/flows/cluster/load/runs", "{}").json().path("runId").asText();
        runs.add(new String[] {id, Integer.toString(nodes.indexOf(n))});
      }
    }
    for (String[] r : runs) {
      var run = nodes.get(Integer.parseInt(r[1])).awaitRun(r[0]);
      assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    }
    int at = 0;
    int most = 0;
    List<String> events =
        Files.readAllLines(trace).stream()
            .filter(l -> !l.isBlank())
            .sorted((a, b) ->
                Long.compare(Long.parseLong(a.substring(2)), Long.parseLong(b.substring(2))))
            .toList();
    assertThat(events).hasSize(2 * runs.size());
    for (String e : events) {
      at += e.startsWith("+") ? 1 : -1;
      most = Math.max(most, at);
    }
    return most;
  }
}
