package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.ServerFixture;
import dev.weir.store.StoreAddress;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill asked of one node of three on one PostgreSQL: driven by the node that holds the flows
 * lease, it makes one run per slot, never two, and every node reports its progress.
 */
class ClusterBackfillTest {
  @TempDir Path dir;
  private final List<ServerFixture> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(ServerFixture::close);
  }

  @Test
  void a_backfill_asked_of_any_node_makes_one_run_per_slot_across_the_cluster() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    for (int i = 1; i <= 3; i++) {
      var fx = new ServerFixture(dir.resolve("n" + i));
      fx.writeFlow(
          "daily.yaml",
          """
          id: daily
          namespace: cluster
          tasks:
            - {id: work, type: shell, command: "sleep 0.2"}
          triggers:
            - {id: nightly, type: schedule, cron: "0 2 * * *", disabled: true}
          """);
      fx.start(
          fx.options()
              .withStore(StoreAddress.of(url))
              .withCluster(
                  new ClusterSettings("n" + i, Duration.ofSeconds(30), Duration.ofSeconds(5))));
      nodes.add(fx);
    }
    var created =
        nodes
            .get(1)
            .post(
                "/backfills",
                "{\"flow\": \"cluster/daily\", \"from\": \"2026-11-01\", \"to\": \"2026-11-10\","
                    + " \"parallel\": 3}");
    assertThat(created.status()).as(created.body()).isBetween(200, 202);
    String id = created.json().path("id").asText();
    JsonNode[] last = new JsonNode[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          last[0] = nodes.get(2).get("/backfills/" + id).json();
          return last[0].path("state").asText().equals("SUCCEEDED");
        });
    Map<String, Integer> runsPerDay = new LinkedHashMap<>();
    try (var c = DriverManager.getConnection(url);
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT logical_date, COUNT(*) FROM weir_runs GROUP BY logical_date"
                        + " ORDER BY logical_date")) {
      while (rs.next()) {
        runsPerDay.put(rs.getObject(1).toString(), rs.getInt(2));
      }
    }
    assertThat(runsPerDay).hasSize(10);
    assertThat(runsPerDay.values()).as("runs per slot: %s", runsPerDay).containsOnly(1);
  }
}
