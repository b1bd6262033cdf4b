package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.BuildInfo;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerApiTest {
  static final String HELLO =
      """
      id: hello
      namespace: team.a
      tasks:
        - id: greet
          type: test.ok
          message: "hello {{ inputs.who }}"
      inputs:
        - {id: who, type: string, default: world}
      """;

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new ServerFixture(dir);
    fx.writeFlow("team/hello.yaml", HELLO);
    fx.start();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void every_endpoint_but_health_needs_a_token_and_errors_share_one_shape() {
    assertThat(fx.send(HttpRequest.newBuilder(fx.uri("/health")).GET()).status()).isEqualTo(200);
    var none = fx.send(HttpRequest.newBuilder(fx.uri("/flows")).GET());
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().path("error").path("message").asText())
        .contains("Authorization: Bearer");
    var wrong =
        fx.send(
            HttpRequest.newBuilder(fx.uri("/flows")).header("Authorization", "Bearer nope").GET());
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().path("error").path("status").asInt()).isEqualTo(401);
    var missing = fx.get("/flows/team.a/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().path("error").path("message").asText()).contains("team.a/nope");
    var noRun = fx.get("/runs/run_nope");
    assertThat(noRun.status()).isEqualTo(404);
    assertThat(noRun.json().path("error").path("message").asText())
        .isEqualTo("no run 'run_nope' on this server; list runs with GET /api/v1/runs");
    assertThat(fx.post("/runs/run_nope/cancel", "").status()).isEqualTo(404);
    var bad = fx.get("/runs?state=DONE");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").path("message").asText()).contains("SUCCEEDED");
  }

  @Test
  void version_answers_the_version_and_commit_the_jar_was_built_from() {
    var r = fx.get("/version");
    assertThat(r.status()).isEqualTo(200);
    BuildInfo build = BuildInfo.current();
    assertThat(r.json().path("version").asText())
        .isEqualTo(build.version())
        .isNotEqualTo("dev")
        .matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(r.json().path("commit").asText()).isEqualTo(build.commit());
    assertThat(r.json().path("built").asText()).isEqualTo(build.built());
    assertThat(r.json().path("api").asText()).isEqualTo("v1");
  }

  @Test
  void a_run_started_over_the_api_finishes_and_shows_its_tasks_and_logs() {
    var started = fx.post("/flows/team.a/hello/runs", "{\"inputs\": {\"who\": \"ana\"}}");
    assertThat(started.status()).isEqualTo(202);
    String runId = started.json().path("runId").asText();
    var run = fx.awaitRun(runId);
    assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.path("trigger").asText()).isEqualTo("api");
    assertThat(run.path("tasks").get(0).path("id").asText()).isEqualTo("greet");
    var logs = fx.get("/runs/" + runId + "/logs").json();
    assertThat(logs.path("lines").toString()).contains("hello ana");
    var list = fx.get("/runs?flow=team.a/hello&state=SUCCEEDED").json();
    assertThat(list.path("runs")).hasSize(1);
  }

  @Test
  void a_flow_edited_on_disk_becomes_revision_2_and_rollback_restores_revision_1()
      throws Exception {
    assertThat(fx.get("/flows/team.a/hello").json().path("revision").asInt()).isEqualTo(1);
    fx.writeFlow("team/hello.yaml", HELLO.replace("hello {{", "bonjour {{"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.get("/flows/team.a/hello").json().path("revision").asInt() == 2);
    var diff = fx.get("/flows/team.a/hello/diff?from=1&to=2").body();
    assertThat(diff).contains("-    message: \"hello {{ inputs.who }}\"\n+    message: \"bonjour");

    var back = fx.post("/flows/team.a/hello/rollback", "{\"revision\": 1}");
    assertThat(back.status()).isEqualTo(200);
    assertThat(back.json().path("revision").asInt()).isEqualTo(3);
    assertThat(Files.readString(fx.flowsDir.resolve("team/hello.yaml"))).isEqualTo(HELLO);
    var flow = fx.get("/flows/team.a/hello").json();
    assertThat(flow.path("source").asText()).isEqualTo(HELLO);
    assertThat(flow.path("revisions")).hasSize(3);
    assertThat(flow.path("revisions").get(2).path("origin").asText()).isEqualTo("rollback to 1");
    // the runs record the revision they ran
    String runId = fx.post("/flows/team.a/hello/runs", "{}").json().path("runId").asText();
    assertThat(fx.awaitRun(runId).path("revision").asText())
        .isEqualTo(flow.path("revisions").get(0).path("hash").asText());
  }

  @Test
  void an_invalid_edit_is_reported_and_the_last_good_revision_keeps_running() throws Exception {
    fx.writeFlow("team/hello.yaml", HELLO.replace("type: test.ok", "type: test.okk"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.get("/flows").json().path("invalid").size() == 1);
    var list = fx.get("/flows").json();
    assertThat(list.path("invalid").get(0).path("message").asText()).contains("test.okk");
    assertThat(list.path("flows").get(0).path("revision").asInt()).isEqualTo(1);
    String runId = fx.post("/flows/team.a/hello/runs", "{}").json().path("runId").asText();
    assertThat(fx.awaitRun(runId).path("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void deploy_over_the_api_validates_writes_the_file_and_counts_revisions() throws Exception {
    var bad = fx.post("/flows", "id: x\ntasks: []\n", "application/yaml");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().path("error").path("problems").get(0).path("line").asInt()).isEqualTo(2);
    var ok =
        fx.send(
            HttpRequest.newBuilder(fx.uri("/flows"))
                .header("Authorization", "Bearer " + ServerFixture.TOKEN)
                .header("Content-Type", "application/yaml")
                .header("X-Weir-Author", "ana")
                .POST(HttpRequest.BodyPublishers.ofString(HELLO.replace("hello", "other"))));
    assertThat(ok.status()).isEqualTo(201);
    assertThat(Files.exists(fx.flowsDir.resolve("team.a/other.yaml"))).isTrue();
    var same = fx.post("/flows", HELLO.replace("hello", "other"), "application/yaml");
    assertThat(same.json().path("changed").asBoolean()).isFalse();
    var history = fx.get("/flows/team.a/other").json().path("revisions");
    assertThat(history).hasSize(1);
    assertThat(history.get(0).path("author").asText()).isEqualTo("ana");
  }

  @Test
  void a_disabled_flow_refuses_runs_until_enabled() {
    assertThat(fx.post("/flows/team.a/hello/disable", "").json().path("enabled").asBoolean())
        .isFalse();
    var refused = fx.post("/flows/team.a/hello/runs", "{}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("error").path("message").asText()).contains("disabled");
    fx.post("/flows/team.a/hello/enable", "");
    assertThat(fx.post("/flows/team.a/hello/runs", "{}").status()).isEqualTo(202);
  }

  @Test
  void live_logs_arrive_as_server_sent_events_and_end_with_the_run() throws Exception {
    String runId =
        fx.post("/flows/team.a/hello/runs", "{\"inputs\": {\"who\": \"sse\"}}")
            .json()
            .path("runId")
            .asText();
    var r =
        fx.send(
            HttpRequest.newBuilder(fx.uri("/runs/" + runId + "/logs/stream"))
                .header("Authorization", "Bearer " + ServerFixture.TOKEN)
                .header("Accept", "text/event-stream")
                .GET());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("event: log").contains("hello sse").contains("event: end");
    assertThat(r.body()).contains("SUCCEEDED");
  }

  @Test
  void runs_can_be_listed_by_time_range() {
    String runId = fx.post("/flows/team.a/hello/runs", "{}").json().path("runId").asText();
    fx.awaitRun(runId);
    assertThat(fx.get("/runs?from=2000-01-01T00:00:00Z").json().path("runs")).hasSize(1);
    assertThat(fx.get("/runs?to=2000-01-01T00:00:00Z").json().path("runs")).isEmpty();
    var bad = fx.get("/runs?from=yesterday");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("error").path("message").asText()).contains("ISO-8601");
  }

  @Test
  void a_first_scan_registers_the_good_files_and_reports_each_bad_one() throws Exception {
    fx.close();
    var fresh = new ServerFixture(dir.resolve("fresh"));
    try {
      for (int i = 0; i < 5; i++) {
        fresh.writeFlow("ok" + i + ".yaml", HELLO.replace("id: hello", "id: hello" + i));
      }
      fresh.writeFlow("a_first.yaml", HELLO.replace("id: hello", "id: twin"));
      fresh.writeFlow("b_second.yaml", HELLO.replace("id: hello", "id: twin"));
      fresh.writeFlow("broken.yaml", HELLO.replace("test.ok", "test.okk"));
      fresh.start();
      var list = fresh.get("/flows").json();
      assertThat(list.path("flows").size()).isEqualTo(6);
      assertThat(list.path("flows").findValuesAsText("revision")).containsOnly("1");
      assertThat(list.path("invalid").size()).isEqualTo(2);
      assertThat(list.path("invalid").toString())
          .contains("test.okk")
          .contains("defined twice")
          .contains("a_first.yaml");
      // every registered flow's revision text is stored: each runs
      var run = fresh.post("/flows/team.a/hello3/runs", "{}").json();
      assertThat(fresh.awaitRun(run.path("runId").asText()).path("state").asText())
          .isEqualTo("SUCCEEDED");
      // the broken file fixed: registered by the next scan
      fresh.writeFlow("broken.yaml", HELLO.replace("id: hello", "id: mended"));
      fresh.server.watcher().scan();
      assertThat(fresh.get("/flows").json().path("invalid").size()).isEqualTo(1);
      assertThat(fresh.get("/flows/team.a/mended").status()).isEqualTo(200);
    } finally {
      fresh.close();
      fx = new ServerFixture(dir.resolve("again"));
      fx.start();
    }
  }
}
