package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.store.StoreAddress;
import dev.weir.testing.SettableClock;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server nodes on one PostgreSQL, in this JVM so that one settable clock drives them all: a
 * schedule every minute, ticked on all three at once for ten minutes, fires each slot once.
 */
class ClusterScheduleTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:30Z");

  @TempDir Path dir;
  private final SettableClock clock = new SettableClock(T0);
  private final List<ServerFixture> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(ServerFixture::close);
  }

  @Test
  void a_schedule_on_three_nodes_fires_each_slot_once() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    for (int i = 1; i <= 3; i++) {
      var fx = new ServerFixture(dir.resolve("n" + i), clock);
      fx.writeFlow(
          "minutely.yaml",
          """
          id: minutely
          namespace: cluster
          tasks:
            - {id: work, type: noop}
          triggers:
            - id: every_minute
              type: schedule
              cron: "* * * * *"
          """);
      fx.start(
          fx.options()
              .withStore(StoreAddress.of(url))
              .withCluster(
                  new ClusterSettings("n" + i, Duration.ofSeconds(30), Duration.ofSeconds(5))));
      nodes.add(fx);
    }
    for (int minute = 1; minute <= 10; minute++) {
      clock.set(T0.plus(Duration.ofMinutes(minute)));
      CompletableFuture.allOf(
              nodes.stream()
                  .map(n -> CompletableFuture.runAsync(() -> n.server.scheduler().tick()))
                  .toArray(CompletableFuture[]::new))
          .get();
    }
    Map<String, Integer> runsPerSlot = new LinkedHashMap<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> {
          runsPerSlot.clear();
          try (Connection c = DriverManager.getConnection(url);
              var rs =
                  c.createStatement()
                      .executeQuery(
                          "SELECT logical_date, COUNT(*), MIN(state) FROM weir_runs"
                              + " GROUP BY logical_date ORDER BY logical_date")) {
            boolean allDone = true;
            while (rs.next()) {
              runsPerSlot.put(rs.getObject(1).toString(), rs.getInt(2));
              allDone &= rs.getString(3).equals("SUCCEEDED");
            }
            return allDone && runsPerSlot.size() == 10;
          }
        });
    assertThat(runsPerSlot.values()).as("runs per slot: %s", runsPerSlot).containsOnly(1);
  }
}
