package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.Engine;
import dev.weir.server.ServerFixture;
import dev.weir.server.flows.FlowKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowTriggerTest {
  static final String EXTRACT =
      """
      id: extract
      namespace: shop
      inputs:
        - {id: fail, type: boolean, default: false}
      tasks:
        - id: pull
          type: test.ok
          values: {rows: 42, table: raw.orders}
        - id: boom
          type: test.fail
          retryable: false
          condition: "{{ inputs.fail }}"
      """;

  static final String LOAD =
      """
      id: load
      namespace: shop
      inputs:
        - {id: rows, type: int}
      tasks:
        - id: show
          type: test.ok
          values:
            rows: "{{ inputs.rows }}"
            upstream: "{{ trigger.upstream.namespace }}/{{ trigger.upstream.flow }} {{ trigger.upstream.state }} {{ trigger.upstream.runId }}"
            table: "{{ trigger.upstream.outputs.pull.table }}"
            chain: "{{ trigger.chain }}"
      triggers:
        - id: after_extract
          type: flow
          upstream: {flow: extract}
          inputs:
            rows: "{{ trigger.upstream.outputs.pull.rows }}"
      """;

  static final String ALERT =
      """
      id: alert
      namespace: ops
      tasks:
        - id: page
          type: test.ok
          values: {failed: "{{ trigger.upstream.runId }}"}
      triggers:
        - id: on_failure
          type: flow
          upstream: {namespace: shop, flow: extract, states: [FAILED]}
      """;

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void flows() throws Exception {
    fx = new ServerFixture(dir);
    fx.writeFlow("shop/extract.yaml", EXTRACT);
    fx.writeFlow("shop/load.yaml", LOAD);
    fx.writeFlow("ops/alert.yaml", ALERT);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  String start(String flow, String body) {
    var answer = fx.post("/flows/" + flow + "/runs", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    return answer.json().path("runId").asText();
  }

  void staysAt(String flow, int runs) {
    Awaitility.await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(5))
        .until(() -> TriggerServer.runs(fx, flow).size() == runs);
  }

  @Test
  void an_upstream_success_starts_the_downstream_with_its_outputs_and_logical_date() {
    fx.start();
    String up = start("shop/extract", "{\"logicalDate\": \"2026-02-01T05:00:00Z\"}");
    assertThat(fx.awaitRun(up).path("state").asText()).isEqualTo("SUCCEEDED");

    var load = TriggerServer.awaitRuns(fx, "shop/load", 1).get(0);
    assertThat(load.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(load.path("trigger").asText()).isEqualTo("flow");
    assertThat(load.path("logicalDate").asText()).isEqualTo("2026-02-01T05:00:00Z");
    assertThat(load.path("inputs").path("rows").asText()).isEqualTo("42");
    var out = TriggerServer.outputs(load, "show");
    assertThat(out.path("upstream").asText()).isEqualTo("shop/extract SUCCEEDED " + up);
    assertThat(out.path("table").asText()).isEqualTo("raw.orders");
    assertThat(out.path("chain").asText()).isEqualTo("[shop/extract]");
    // the FAILED-only trigger of ops/alert did not fire
    staysAt("ops/alert", 0);
    staysAt("shop/load", 1);
  }

  @Test
  void a_failed_only_trigger_fires_on_failure_once_per_run_attempt() {
    fx.start();
    String up = start("shop/extract", "{\"inputs\": {\"fail\": true}}");
    assertThat(fx.awaitRun(up).path("state").asText()).isEqualTo("FAILED");

    var alert = TriggerServer.awaitRuns(fx, "ops/alert", 1).get(0);
    assertThat(TriggerServer.outputs(alert, "page").path("failed").asText()).isEqualTo(up);
    staysAt("shop/load", 0);

    // a retry is a new ending of the same run: it fires again, once
    assertThat(fx.post("/runs/" + up + "/retry", "").status()).isEqualTo(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() ->
            fx.get("/runs/" + up).json().path("attempt").asInt() == 2
                && fx.get("/runs/" + up).json().path("state").asText().equals("FAILED"));
    TriggerServer.awaitRuns(fx, "ops/alert", 2);
    staysAt("ops/alert", 2);
  }

  @Test
  void a_chain_runs_each_flow_once_and_records_the_chain() throws Exception {
    fx.writeFlow("chain/a.yaml", "id: a\nnamespace: chain\ntasks: [{id: t, type: test.ok}]\n");
    fx.writeFlow("chain/b.yaml", follower("b", "a", "SUCCEEDED"));
    fx.writeFlow("chain/c.yaml", follower("c", "b", "SUCCEEDED"));
    fx.start();
    start("chain/a", "{}");

    var c = TriggerServer.awaitRuns(fx, "chain/c", 1).get(0);
    assertThat(TriggerServer.outputs(c, "t").path("chain").asText())
        .isEqualTo("[chain/a, chain/b]");
    staysAt("chain/b", 1);
    staysAt("chain/c", 1);
  }

  @Test
  void a_flow_following_its_own_failure_runs_once_more_and_then_stops() throws Exception {
    fx.writeFlow(
        "chain/again.yaml",
        """
        id: again
        namespace: chain
        tasks:
          - {id: t, type: test.fail, retryable: false}
        triggers:
          - id: retry_once
            type: flow
            upstream: {flow: again, states: [FAILED]}
        """);
    fx.start();
    start("chain/again", "{}");

    var runs = TriggerServer.awaitRuns(fx, "chain/again", 2);
    assertThat(runs).allMatch(r -> r.path("state").asText().equals("FAILED"));
    assertThat(runs.get(1).path("trigger").asText()).isEqualTo("flow");
    staysAt("chain/again", 2);
  }

  @Test
  void a_cycle_of_two_flows_stops_before_a_flow_comes_back() throws Exception {
    // ping's first run is manual, so no trigger.chain to show
    fx.writeFlow(
        "chain/ping.yaml", follower("ping", "pong", "SUCCEEDED").replace("trigger.chain", "1"));
    fx.writeFlow("chain/pong.yaml", follower("pong", "ping", "SUCCEEDED"));
    fx.start();
    start("chain/ping", "{}");

    var pong = TriggerServer.awaitRuns(fx, "chain/pong", 1).get(0);
    assertThat(pong.path("state").asText()).isEqualTo("SUCCEEDED");
    staysAt("chain/ping", 1);
    staysAt("chain/pong", 1);
  }

  @Test
  void an_upstream_end_the_server_missed_fires_at_its_next_start_and_only_once() throws Exception {
    fx.start();
    // run the upstream past the launcher, as if the server had died before hearing it end
    var extract = fx.server.flows().get(new FlowKey("shop", "extract")).orElseThrow();
    var handle =
        fx.server
            .engine()
            .start(
                new Engine.StartRequest(
                    extract.flow(), extract.file(), Map.of(), "manual", null, null));
    assertThat(handle.await().state().name()).isEqualTo("SUCCEEDED");
    staysAt("shop/load", 0);
    fx.close();

    fx.start();
    var load = TriggerServer.awaitRuns(fx, "shop/load", 1).get(0);
    assertThat(TriggerServer.outputs(load, "show").path("upstream").asText())
        .endsWith(handle.runId());
    fx.close();

    fx.start();
    staysAt("shop/load", 1);
  }

  @Test
  void a_disabled_downstream_does_not_fire_later_for_what_ended_while_it_was_disabled() {
    fx.start();
    fx.post("/flows/shop/load/disable", "");
    String up = start("shop/extract", "{}");
    fx.awaitRun(up);
    staysAt("shop/load", 0);
    fx.post("/flows/shop/load/enable", "");
    fx.close();

    fx.start();
    staysAt("shop/load", 0);
  }

  static String follower(String id, String upstream, String state) {
    return """
    id: %s
    namespace: chain
    tasks:
      - id: t
        type: test.ok
        values: {chain: "{{ trigger.chain }}"}
    triggers:
      - id: after
        type: flow
        upstream: {flow: %s, states: [%s]}
    """
        .formatted(id, upstream, state);
  }
}
