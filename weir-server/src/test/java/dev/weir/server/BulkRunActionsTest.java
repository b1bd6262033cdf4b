package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /runs/cancel} and {@code /runs/retry}: each id gets the result its own request would
 * have, and one that fails does not stop the others.
 */
class BulkRunActionsTest {
  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    TestTasks.reset();
    fx = new ServerFixture(dir);
    fx.writeFlow("hold.yaml", "id: hold\ntasks:\n  - {id: wait, type: test.block, latch: go}\n");
    fx.writeFlow("ok.yaml", "id: ok\ntasks:\n  - {id: greet, type: test.ok}\n");
    fx.writeFlow("bad.yaml", "id: bad\ntasks:\n  - {id: boom, type: test.fail}\n");
    fx.start();
  }

  @AfterEach
  void stop() {
    TestTasks.open("go");
    fx.close();
  }

  private String run(String flow) {
    var r = fx.post("/flows/default/" + flow + "/runs", "{}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().path("runId").asText();
  }

  private JsonNode result(JsonNode answer, int i) {
    return answer.path("results").get(i);
  }

  @Test
  void cancel_cancels_what_it_can_and_says_why_for_the_others() {
    String held = run("hold");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestTasks.INSIDE.get() == 1);
    String done = run("ok");
    fx.awaitRun(done);

    var r =
        fx.post("/runs/cancel", "{\"ids\": [\"" + held + "\", \"run_nope\", \"" + done + "\"]}");

    assertThat(r.status()).isEqualTo(200);
    var answer = r.json();
    assertThat(answer.path("succeeded").asInt()).isEqualTo(1);
    assertThat(answer.path("failed").asInt()).isEqualTo(2);
    assertThat(result(answer, 0).path("id").asText()).isEqualTo(held);
    assertThat(result(answer, 0).path("ok").asBoolean()).isTrue();
    assertThat(result(answer, 1).path("ok").asBoolean()).isFalse();
    assertThat(result(answer, 1).path("status").asInt()).isEqualTo(404);
    assertThat(result(answer, 1).path("error").asText())
        .isEqualTo("no run 'run_nope' on this server; list runs with GET /api/v1/runs");
    assertThat(result(answer, 2).path("ok").asBoolean()).isFalse();
    assertThat(result(answer, 2).path("status").asInt()).isEqualTo(400);
    assertThat(result(answer, 2).path("error").asText())
        .isEqualTo("run " + done + " already ended SUCCEEDED");
    assertThat(fx.awaitRun(held).path("state").asText()).isEqualTo("CANCELLED");
    assertThat(fx.get("/runs/" + done).json().path("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void retry_runs_failed_runs_again_and_reports_the_rest() {
    String failed = run("bad");
    assertThat(fx.awaitRun(failed).path("state").asText()).isEqualTo("FAILED");
    String held = run("hold");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestTasks.INSIDE.get() == 1);

    var answer =
        fx.post(
                "/runs/retry",
                "{\"ids\": [\"" + failed + "\", \"" + held + "\", \"x\", \"" + failed + "\"]}")
            .json();

    // the same id twice is retried once
    assertThat(answer.path("results")).hasSize(3);
    assertThat(answer.path("succeeded").asInt()).isEqualTo(1);
    assertThat(result(answer, 0).path("ok").asBoolean()).isTrue();
    assertThat(result(answer, 0).path("runId").asText()).isEqualTo(failed);
    assertThat(result(answer, 1).path("ok").asBoolean()).isFalse();
    assertThat(result(answer, 1).path("status").asInt()).isBetween(400, 499);
    assertThat(result(answer, 1).path("error").asText()).contains(held);
    assertThat(result(answer, 2).path("status").asInt()).isEqualTo(404);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fx.get("/runs/" + failed).json().path("attempt").asInt() == 2);
    assertThat(fx.awaitRun(failed).path("state").asText()).isEqualTo("FAILED");
  }

  @Test
  void a_body_without_ids_answers_400_with_an_example() {
    for (String body :
        new String[] {
          "", "not json", "{}", "{\"ids\": []}", "{\"ids\": \"run_1\"}", "{\"ids\": [1]}"
        }) {
      var r = fx.post("/runs/cancel", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.json().path("error").path("message").asText())
          .as(body)
          .contains("{\"ids\": [\"run_1\", \"run_2\"]}");
    }
    var many = new StringBuilder("{\"ids\": [");
    for (int i = 0; i < 501; i++) {
      many.append(i == 0 ? "" : ",").append("\"r").append(i).append('"');
    }
    var r = fx.post("/runs/retry", many.append("]}").toString());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").path("message").asText())
        .isEqualTo("POST /runs/retry takes at most 500 ids, got 501");
  }
}
