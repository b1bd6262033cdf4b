package dev.weir.server.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.ServerFixture;
import dev.weir.testing.TestTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTriggerTest {
  static final String TASKS =
      """
      tasks:
        - id: read
          type: test.ok
          values:
            path: "{{ trigger.path }}"
            name: "{{ trigger.name }}"
            size: "{{ trigger.size }}"
            modified: "{{ trigger.modified }}"
        - id: check
          type: test.fail
          retryable: false
          condition: "{{ trigger.name == 'bad.csv' }}"
      """;

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void fixture() throws Exception {
    TestTasks.reset();
    fx = new ServerFixture(dir);
  }

  @AfterEach
  void stop() {
    TestTasks.open("go");
    fx.close();
  }

  void flow(String id, String trigger) throws Exception {
    fx.writeFlow(
        id + "/" + id + ".yaml",
        "id: " + id + "\nnamespace: files\n" + TASKS + "triggers:\n" + trigger.indent(2));
  }

  /** Starts the server and takes the first poll, so that the test's polls are the next ones. */
  FileTriggers startServer() {
    fx.start();
    fx.server.triggers().files().pollAll();
    return fx.server.triggers().files();
  }

  Path drop(String flow, String name, String text, Duration age) throws Exception {
    Path f = fx.flowsDir.resolve(flow).resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(age)));
    return f;
  }

  JsonNode runFor(List<JsonNode> runs, String name) {
    return runs.stream()
        .filter(r -> TriggerServer.outputs(r, "read").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no run for " + name + " in " + runs));
  }

  static void awaitTrue(java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(condition);
  }

  void staysAt(String flow, int runs) {
    Awaitility.await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> TriggerServer.runs(fx, flow).size() == runs);
  }

  @Test
  void a_new_file_fires_once_it_settled_exactly_once_across_polls_and_restarts() throws Exception {
    flow("keep", "- {id: drop, type: file, path: in/*.csv, interval: 1h}");
    var files = startServer();
    Path a = drop("keep", "in/a.csv", "id\n1\n", Duration.ZERO);

    assertThat(files.pollAll()).as("still being written: first seen just now").isZero();
    assertThat(files.pollAll()).as("same size and time at the second poll").isEqualTo(1);
    assertThat(files.pollAll()).isZero();

    var run = TriggerServer.awaitRuns(fx, "files/keep", 1).get(0);
    assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.path("trigger").asText()).isEqualTo("file");
    var out = TriggerServer.outputs(run, "read");
    assertThat(out.path("path").asText()).isEqualTo(a.toAbsolutePath().toString());
    assertThat(out.path("name").asText()).isEqualTo("a.csv");
    assertThat(out.path("size").asText()).isEqualTo("5");
    assertThat(Instant.parse(out.path("modified").asText()))
        .isEqualTo(Files.getLastModifiedTime(a).toInstant());
    assertThat(a).exists(); // onProcessed: keep

    fx.close();
    files = startServer();
    assertThat(files.pollAll()).isZero();
    staysAt("files/keep", 1);

    // written again: a new modification time is a new file
    drop("keep", "in/a.csv", "id\n1\n2\n", Duration.ofHours(2));
    assertThat(files.pollAll()).as("not modified for an interval: settled").isEqualTo(1);
    TriggerServer.awaitRuns(fx, "files/keep", 2);
  }

  @Test
  void move_puts_a_processed_file_in_moveTo_which_is_not_watched() throws Exception {
    flow(
        "moving",
        """
        - id: drop
          type: file
          path: incoming/**/*.csv
          interval: 1h
          onProcessed: move
          moveTo: incoming/done
        """);
    var files = startServer();
    Path in = fx.flowsDir.resolve("moving/incoming");
    drop("moving", "incoming/a.csv", "a", Duration.ofHours(2));
    drop("moving", "incoming/sub/b.csv", "b", Duration.ofHours(2));

    assertThat(files.pollAll()).as("**/ also matches no folder").isEqualTo(2);
    var runs = TriggerServer.awaitRuns(fx, "files/moving", 2);
    assertThat(runs).allMatch(r -> r.path("state").asText().equals("SUCCEEDED"));
    awaitTrue(
        () -> Files.exists(in.resolve("done/a.csv")) && Files.exists(in.resolve("done/b.csv")));
    assertThat(in.resolve("a.csv")).doesNotExist();
    assertThat(in.resolve("sub/b.csv")).doesNotExist();
    assertThat(files.pollAll()).isZero();

    // the same name again: moved beside the first, named by its run
    drop("moving", "incoming/a.csv", "a2", Duration.ofHours(3));
    assertThat(files.pollAll()).isEqualTo(1);
    runs = TriggerServer.awaitRuns(fx, "files/moving", 3);
    String third = runs.get(2).path("id").asText();
    awaitTrue(() -> Files.exists(in.resolve("done/a." + third + ".csv")));
    assertThat(Files.readString(in.resolve("done/a.csv"))).isEqualTo("a");
    staysAt("files/moving", 3);
  }

  @Test
  void delete_removes_a_file_after_success_and_a_failed_run_leaves_it_without_firing_again()
      throws Exception {
    flow("deleting", "- {id: drop, type: file, path: in/*.csv, interval: 1h, onProcessed: delete}");
    var files = startServer();
    Path good = drop("deleting", "in/good.csv", "ok", Duration.ofHours(2));
    Path bad = drop("deleting", "in/bad.csv", "no", Duration.ofHours(2));

    assertThat(files.pollAll()).isEqualTo(2);
    var runs = TriggerServer.awaitRuns(fx, "files/deleting", 2);
    assertThat(runFor(runs, "good.csv").path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(runFor(runs, "bad.csv").path("state").asText()).isEqualTo("FAILED");
    awaitTrue(() -> !Files.exists(good));
    Awaitility.await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> Files.exists(bad));
    assertThat(files.pollAll()).isZero();
    staysAt("files/deleting", 2);
  }

  @Test
  void a_disabled_flow_is_not_polled_until_enabled() throws Exception {
    flow("paused", "- {id: drop, type: file, path: in/*.csv, interval: 1h}");
    var files = startServer();
    fx.post("/flows/files/paused/disable", "");
    drop("paused", "in/a.csv", "a", Duration.ofHours(2));

    assertThat(files.pollAll()).isZero();
    fx.post("/flows/files/paused/enable", "");
    assertThat(files.pollAll()).isEqualTo(1);
    TriggerServer.awaitRuns(fx, "files/paused", 1);
  }

  @Test
  void a_file_skipped_by_the_flows_concurrency_fires_at_a_later_poll() throws Exception {
    fx.writeFlow(
        "busy/busy.yaml",
        """
        id: busy
        namespace: files
        concurrency: {limit: 1, onLimit: skip}
        tasks:
          # held until the test opens the latch: a's run is surely going when b is checked
          - {id: wait, type: test.block, latch: go}
        triggers:
          - {id: drop, type: file, path: in/*.csv, interval: 1h}
        """);
    var files = startServer();
    drop("busy", "in/a.csv", "a", Duration.ofHours(3));
    drop("busy", "in/b.csv", "b", Duration.ofHours(2));

    assertThat(files.pollAll()).as("b is skipped while a runs").isEqualTo(1);
    TestTasks.open("go");
    fx.awaitRun(TriggerServer.runs(fx, "files/busy").get(0).path("id").asText());
    int[] later = {0}; // the launcher may count a's run a moment after its end is stored
    awaitTrue(() -> (later[0] += files.pollAll()) > 0);
    assertThat(later[0]).isEqualTo(1);
    TriggerServer.awaitRuns(fx, "files/busy", 2);
    assertThat(files.pollAll()).isZero();
  }
}
