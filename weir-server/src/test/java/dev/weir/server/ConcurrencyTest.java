package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
  @TempDir Path dir;
  ServerFixture fx;

  // the run is held by a latch, not a sleep: the second POST must find the first run still going
  // however long the test stalls between them
  static String flow(String onLimit) {
    return """
    id: slow
    namespace: team.a
    concurrency: {limit: 1, onLimit: %s}
    tasks:
      - {id: wait, type: test.block, latch: go}
    """
        .formatted(onLimit);
  }

  @AfterEach
  void stop() {
    TestTasks.open("go");
    fx.close();
  }

  private void startWith(String yaml) throws Exception {
    TestTasks.reset();
    fx = new ServerFixture(dir);
    fx.writeFlow("slow.yaml", yaml);
    fx.start();
  }

  @Test
  void skip_refuses_a_run_while_one_is_going() throws Exception {
    startWith(flow("skip"));
    var first = fx.post("/flows/team.a/slow/runs", "{}");
    var second = fx.post("/flows/team.a/slow/runs", "{}");
    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().path("outcome").asText()).isEqualTo("SKIPPED");
    assertThat(second.json().path("message").asText()).contains("limit 1").contains("skip");
    TestTasks.open("go");
    fx.awaitRun(first.json().path("runId").asText());
    // the store says the run ended a moment before the server has counted it out: bounded wait
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .pollInterval(java.time.Duration.ofMillis(20))
        .until(() -> fx.post("/flows/team.a/slow/runs", "{}").status() == 202);
  }

  @Test
  void queue_runs_them_one_after_another_in_order() throws Exception {
    startWith(flow("queue"));
    var ids = new ArrayList<String>();
    for (int i = 0; i < 3; i++) {
      JsonNode r = fx.post("/flows/team.a/slow/runs", "{}").json();
      assertThat(r.path("outcome").asText()).isEqualTo(i == 0 ? "STARTED" : "QUEUED");
      ids.add(r.path("runId").asText());
    }
    TestTasks.open("go");
    List<JsonNode> done = ids.stream().map(fx::awaitRun).toList();
    for (int i = 0; i < 3; i++) {
      assertThat(done.get(i).path("state").asText()).isEqualTo("SUCCEEDED");
    }
    // never two at once: each started after the one before it ended
    for (int i = 1; i < 3; i++) {
      assertThat(java.time.Instant.parse(done.get(i).path("startedAt").asText()))
          .isAfterOrEqualTo(java.time.Instant.parse(done.get(i - 1).path("endedAt").asText()));
    }
  }

  @Test
  void fail_records_a_failed_run_that_says_why() throws Exception {
    startWith(flow("fail"));
    fx.post("/flows/team.a/slow/runs", "{}");
    var refused = fx.post("/flows/team.a/slow/runs", "{}");
    assertThat(refused.status()).isEqualTo(409);
    var run = fx.get("/runs/" + refused.json().path("runId").asText()).json();
    assertThat(run.path("state").asText()).isEqualTo("FAILED");
    assertThat(run.path("error").asText()).contains("onLimit: fail");
    TestTasks.open("go");
  }
}
