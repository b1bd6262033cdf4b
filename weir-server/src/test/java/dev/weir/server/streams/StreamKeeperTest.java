package dev.weir.server.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.ServerFixture;
import dev.weir.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamKeeperTest {
  @TempDir Path dir;
  SettableClock clock = SettableClock.at("2026-12-04T10:00:00Z");
  ServerFixture fx;
  // each test its own namespace: a stream attempt of an earlier test may still be ending
  static int tests;
  String ns;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ServerFixture(dir, clock);
    ns = "cdc" + ++tests;
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  String stream(String id, String extra) {
    return """
    id: %s
    namespace: %s
    tasks:
      - id: follow
        type: test.stream
    %s\
    """
        .formatted(id, ns, extra);
  }

  @Test
  void a_stream_flow_starts_when_deployed_and_keeps_exactly_one_run_going() throws Exception {
    fx.writeFlow("orders.yaml", stream("orders", ""));
    fx.start();
    awaitRuns(ns + "/orders", 1);
    for (int i = 0; i < 5; i++) {
      fx.server.streams().tick();
    }
    List<JsonNode> runs = runs(ns + "/orders");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("trigger").asText()).isEqualTo("stream");
    awaitState(runs.get(0).path("id").asText(), "RUNNING");
    assertThat(StreamTask.MOST_AT_ONCE.get(ns + "/orders").get()).isEqualTo(1);
  }

  @Test
  void a_failed_stream_restarts_after_a_backoff_that_doubles() throws Exception {
    fx.writeFlow(
        "flaky.yaml",
        stream("flaky", "")
            .replace("type: test.stream", "type: test.stream\n    failAfterMs: 100"));
    fx.start();
    String first = newRun(ns + "/flaky", 1);
    awaitState(first, "FAILED");
    fx.server.streams().tick();
    assertThat(runs(ns + "/flaky")).hasSize(1); // 5 s of backoff not passed on the settable clock
    clock.advance(Duration.ofSeconds(5));
    fx.server.streams().tick();
    String second = newRun(ns + "/flaky", 2, first);
    awaitState(second, "FAILED");
    clock.advance(Duration.ofSeconds(5));
    fx.server.streams().tick();
    assertThat(runs(ns + "/flaky")).hasSize(2); // the second failure waits 10 s
    clock.advance(Duration.ofSeconds(5));
    fx.server.streams().tick();
    awaitRuns(ns + "/flaky", 3);
  }

  @Test
  void disabling_the_flow_cancels_its_stream_and_enabling_it_starts_a_new_run() throws Exception {
    fx.writeFlow("orders.yaml", stream("orders", ""));
    fx.start();
    String first = newRun(ns + "/orders", 1);
    awaitState(first, "RUNNING");
    assertThat(fx.post("/flows/" + ns + "/orders/disable", "").status()).isEqualTo(200);
    fx.server.streams().tick();
    awaitState(first, "CANCELLED");
    fx.server.streams().tick();
    assertThat(runs(ns + "/orders")).hasSize(1);
    assertThat(fx.post("/flows/" + ns + "/orders/enable", "").status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(5));
    fx.server.streams().tick();
    String second = newRun(ns + "/orders", 2, first);
    awaitState(second, "RUNNING");
  }

  @Test
  void a_new_revision_replaces_the_running_stream() throws Exception {
    fx.writeFlow("orders.yaml", stream("orders", ""));
    fx.start();
    String first = newRun(ns + "/orders", 1);
    awaitState(first, "RUNNING");
    fx.writeFlow("orders.yaml", stream("orders", "description: v2\n"));
    fx.server.watcher().scan();
    fx.server.streams().tick();
    awaitState(first, "CANCELLED");
    fx.server.streams().tick();
    String second = newRun(ns + "/orders", 2, first);
    awaitState(second, "RUNNING");
    assertThat(StreamTask.MOST_AT_ONCE.get(ns + "/orders").get()).isEqualTo(1);
  }

  @Test
  void a_stream_that_ended_well_stays_stopped_until_a_new_revision() throws Exception {
    fx.writeFlow(
        "once.yaml",
        stream("once", "")
            .replace("type: test.stream", "type: test.stream\n    succeedAfterMs: 50"));
    fx.start();
    String first = newRun(ns + "/once", 1);
    awaitState(first, "SUCCEEDED");
    clock.advance(Duration.ofMinutes(10));
    fx.server.streams().tick();
    assertThat(runs(ns + "/once")).hasSize(1);
    fx.writeFlow(
        "once.yaml",
        stream("once", "description: v2\n")
            .replace("type: test.stream", "type: test.stream\n    succeedAfterMs: 50"));
    fx.server.watcher().scan();
    fx.server.streams().tick();
    awaitRuns(ns + "/once", 2);
  }

  @Test
  void a_flow_with_a_continuous_task_and_a_trigger_is_left_to_its_trigger() throws Exception {
    fx.writeFlow(
        "nightly.yaml",
        stream(
            "nightly",
            """
            triggers:
              - {id: nightly, type: schedule, cron: "0 3 * * *"}
            """));
    fx.start();
    for (int i = 0; i < 3; i++) {
      fx.server.streams().tick();
    }
    assertThat(runs(ns + "/nightly")).isEmpty();
  }

  /**
   * Waits for the flow to have {@code n} runs and returns the one not in {@code before} (the
   * settable clock gives runs made in one test the same creation time, so order says nothing).
   */
  private String newRun(String flow, int n, String... before) {
    var ids = new ArrayList<>(awaitRuns(flow, n));
    ids.removeAll(List.of(before));
    assertThat(ids).hasSize(1);
    return ids.get(0);
  }

  /** Waits for the flow to have {@code n} runs; their ids. */
  private List<String> awaitRuns(String flow, int n) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> runs(flow).size() >= n);
    return runs(flow).stream().map(r -> r.path("id").asText()).toList();
  }

  private void awaitState(String runId, String state) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> fx.get("/runs/" + runId).json().path("state").asText().equals(state));
  }

  private List<JsonNode> runs(String flow) {
    var out = new ArrayList<JsonNode>();
    fx.get("/runs?flow=" + flow).json().path("runs").forEach(out::add);
    return out;
  }
}
