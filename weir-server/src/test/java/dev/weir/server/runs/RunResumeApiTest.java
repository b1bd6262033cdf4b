package dev.weir.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.OrphanRuns;
import dev.weir.server.ServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /runs/{id}/resume}: an orphaned run (RUNNING in the store, its owner process gone)
 * continues in this server keeping its succeeded tasks; a run this server executes, a queued run,
 * an ended run and one whose owner looks alive are refused with 409 and why.
 */
class RunResumeApiTest {
  @TempDir static Path dir;
  static ServerFixture server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new ServerFixture(dir).start();
    server.writeFlow("two.yaml", OrphanRuns.TWO);
    server.writeFlow("held.yaml", HELD);
    server.server.watcher().scan();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void an_orphan_of_a_dead_process_resumes_keeping_its_succeeded_task() throws Exception {
    Path marks = dir.resolve("marks-" + System.nanoTime());
    String orphan = OrphanRuns.make(server, marks, OrphanRuns.deadPid());

    var answer = server.post("/runs/" + orphan + "/resume", "");
    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    assertThat(answer.json().get("id").asText()).isEqualTo(orphan);
    assertThat(server.awaitRun(orphan).get("state").asText()).isEqualTo("SUCCEEDED");
    // the template run wrote first and second; the resumed one ran only its interrupted task
    assertThat(Files.readAllLines(marks)).containsExactly("first", "second", "second");

    var again = server.post("/runs/" + orphan + "/resume", "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().at("/error/message").asText())
        .contains("already ended SUCCEEDED; only a run that was interrupted can be resumed");
  }

  @Test
  void an_orphan_whose_owner_looks_alive_needs_force() throws Exception {
    Path marks = dir.resolve("marks-" + System.nanoTime());
    Process alive = new ProcessBuilder("sleep", "60").start();
    try {
      String orphan = OrphanRuns.make(server, marks, alive.pid());
      var refused = server.post("/runs/" + orphan + "/resume", "{\"force\": false}");
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.json().at("/error/message").asText())
          .contains("is still being executed by " + OrphanRuns.host() + ":" + alive.pid())
          .endsWith("stop that process first, or send {\"force\": true} if it is gone");

      var forced = server.post("/runs/" + orphan + "/resume", "{\"force\": true}");
      assertThat(forced.status()).as(forced.body()).isEqualTo(202);
      assertThat(server.awaitRun(orphan).get("state").asText()).isEqualTo("SUCCEEDED");
    } finally {
      alive.destroy();
    }
  }

  @Test
  void a_run_this_server_executes_and_a_queued_run_are_not_resumed() throws Exception {
    Path gate = dir.resolve("gate-" + System.nanoTime());
    String body = "{\"inputs\": {\"gate\": \"" + gate + "\"}}";
    String running = server.post("/flows/t/held/runs", body).json().get("runId").asText();
    var queued = server.post("/flows/t/held/runs", body).json();
    assertThat(queued.get("outcome").asText()).isEqualTo("QUEUED");
    String queuedId = queued.get("runId").asText();
    try {
      var mine = server.post("/runs/" + running + "/resume", "{\"force\": true}");
      assertThat(mine.status()).isEqualTo(409);
      assertThat(mine.json().at("/error/message").asText())
          .isEqualTo(
              "run " + running + " is being executed by this server already; nothing to resume");
      var waiting = server.post("/runs/" + queuedId + "/resume", "");
      assertThat(waiting.status()).isEqualTo(409);
      assertThat(waiting.json().at("/error/message").asText())
          .contains("is QUEUED: it starts when its flow has room");
      assertThat(server.post("/runs/nosuchrun/resume", "").status()).isEqualTo(404);
    } finally {
      Files.writeString(gate, "go");
    }
    assertThat(server.awaitRun(running).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(server.awaitRun(queuedId).get("state").asText()).isEqualTo("SUCCEEDED");
  }

  static final String HELD =
      """
      id: held
      namespace: t
      concurrency: {limit: 1, onLimit: queue}
      inputs:
        - {id: gate, type: string}
      tasks:
        - id: wait
          type: shell
          env:
            GATE: "{{ inputs.gate }}"
          command: |
            for i in $(seq 1 300); do [ -f "$GATE" ] && exit 0; sleep 0.1; done; exit 1
      """;
}
