package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview's figures, counted by the database: runs of the last 24 hours by state (each edge
 * once), runs per UTC hour, and the flows whose last run failed.
 */
class OverviewPageTest {
  static final Instant NOW = Instant.parse("2026-12-02T10:17:00Z");

  @TempDir Path dir;
  ServerFixture server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String flow(String id) {
    return """
    id: %s
    namespace: ui
    tasks:
      - {id: only, type: shell, command: "true"}
    """
        .formatted(id);
  }

  private static RunRecord run(String id, String flow, RunState state, Instant created) {
    Instant started = state == RunState.QUEUED ? null : created.plusSeconds(1);
    return new RunRecord(
        id,
        "ui",
        flow,
        "rev0123456789abc",
        null,
        state,
        "{}",
        null,
        "manual",
        1,
        created,
        started,
        state.isTerminal() ? created.plusSeconds(30) : null,
        state == RunState.FAILED ? "task 'only' failed" : null,
        null);
  }

  @Test
  void counts_the_last_day_by_state_and_hour_and_lists_flows_whose_last_run_failed()
      throws Exception {
    var fixture = new ServerFixture(dir, SettableClock.at(NOW.toString()));
    server = fixture.start(fixture.options());
    for (String f : List.of("alpha", "beta", "gamma")) {
      server.writeFlow(f + ".yaml", flow(f));
    }
    server.server.watcher().scan();
    var runs = new ArrayList<RunRecord>();
    runs.add(run("run_old_alpha", "alpha", RunState.SUCCEEDED, NOW.minus(Duration.ofHours(30))));
    runs.add(run("run_edge_alpha", "alpha", RunState.SUCCEEDED, NOW.minus(Duration.ofHours(24))));
    runs.add(run("run_a1", "alpha", RunState.SUCCEEDED, Instant.parse("2026-12-02T09:00:00Z")));
    runs.add(run("run_a2", "alpha", RunState.FAILED, Instant.parse("2026-12-02T10:05:00Z")));
    runs.add(run("run_b1", "beta", RunState.FAILED, Instant.parse("2026-12-02T09:59:59.999Z")));
    runs.add(run("run_b2", "beta", RunState.SUCCEEDED, Instant.parse("2026-12-02T10:06:00Z")));
    runs.add(run("run_b3", "beta", RunState.RUNNING, Instant.parse("2026-12-02T10:10:00Z")));
    // gamma never ran
    server.server.store().write(new StateStore.Batch(runs, List.of(), List.of(), List.of()));
    var ui = new UiSession(server);
    ui.signIn(ServerFixture.TOKEN);

    String body = ui.get("/").body();

    assertThat(body).contains("6 runs in the last 24 hours, 3 flows deployed.");
    assertThat(count(body, "succeeded")).isEqualTo(3);
    assertThat(count(body, "failed")).isEqualTo(2);
    assertThat(count(body, "running")).isEqualTo(1);
    assertThat(count(body, "queued")).isEqualTo(0);
    // the edge run of 24 hours ago is counted but before the chart's first hour (11:00 yesterday)
    assertThat(body)
        .contains("<title>2026-12-02 10:00:00 UTC: 3 runs</title>")
        .contains("<title>2026-12-02 09:00:00 UTC: 2 runs</title>")
        .contains("<title>2026-12-01 11:00:00 UTC: 0 runs</title>")
        .contains("highest bar 3 runs.");
    String failing = body.substring(body.indexOf("id=\"failing\""), body.indexOf("id=\"sla\""));
    assertThat(failing).contains("/runs/run_a2").doesNotContain("run_b");
  }

  private static int count(String body, String state) {
    var m =
        Pattern.compile(
                "state-card state-" + state + "\"[^>]*>\\s*<span class=\"count\">(\\d+)</span>")
            .matcher(body);
    assertThat(m.find()).as("a card for " + state).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
