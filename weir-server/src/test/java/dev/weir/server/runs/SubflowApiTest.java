package dev.weir.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.ServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subflows under {@code weir server}: a flow started through the REST API runs the registry's
 * current revision of its child through the launcher; the run JSON links parent and child; a cancel
 * through the API reaches the child; a cycle among deployed flows is refused when it is registered.
 */
class SubflowApiTest {
  @TempDir static Path dir;
  static ServerFixture server;

  @BeforeAll
  static void startServer() throws Exception {
    server = new ServerFixture(dir).start();
    server.writeFlow(
        "child.yaml",
        """
        id: child
        namespace: shop
        inputs:
          - {id: day, type: string}
        tasks:
          - id: count
            type: shell
            env: {DAY: "{{ inputs.day }}"}
            command: echo "$DAY" >> days.txt
        """);
    server.writeFlow(
        "parent.yaml",
        """
        id: parent
        namespace: shop
        tasks:
          - id: apply
            type: subflow
            flow: shop/child
            inputs: {day: "2026-12-01"}
          - id: after
            type: log
            message: "child said {{ outputs.apply.outputs.count.exitCode }}"
        """);
    server.writeFlow(
        "napper.yaml",
        """
        id: napper
        namespace: shop
        tasks:
          - id: nap
            type: shell
            command: echo $$ > nap.pid; sleep 120
        """);
    server.writeFlow(
        "waits.yaml",
        """
        id: waits
        namespace: shop
        tasks:
          - {id: call, type: subflow, flow: napper}
        """);
    server.server.watcher().scan();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void a_flow_started_through_the_api_runs_its_subflow_and_the_runs_name_each_other() {
    var started = server.post("/flows/shop/parent/runs", "{}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String parentId = started.json().get("runId").asText();
    JsonNode parent = server.awaitRun(parentId);
    assertThat(parent.get("state").asText()).as(parent.toString()).isEqualTo("SUCCEEDED");

    JsonNode detail = server.get("/runs/" + parentId).json();
    assertThat(detail.get("parent").isNull()).isTrue();
    JsonNode child = detail.get("children").get(0);
    assertThat(child.get("taskId").asText()).isEqualTo("apply");
    assertThat(child.get("namespace").asText()).isEqualTo("shop");
    assertThat(child.get("flowId").asText()).isEqualTo("child");
    assertThat(child.get("state").asText()).isEqualTo("SUCCEEDED");

    JsonNode childRun = server.get("/runs/" + child.get("runId").asText()).json();
    assertThat(childRun.get("parent").get("runId").asText()).isEqualTo(parentId);
    assertThat(childRun.get("trigger").asText()).isEqualTo("subflow");
    assertThat(childRun.get("inputs").get("day").asText()).isEqualTo("2026-12-01");
  }

  @Test
  void cancelling_the_parent_through_the_api_cancels_the_child() throws Exception {
    Path pidFile = dir.resolve("flows/nap.pid");
    Files.deleteIfExists(pidFile);
    String parentId = server.post("/flows/shop/waits/runs", "{}").json().get("runId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
    long shellPid = Long.parseLong(Files.readString(pidFile).strip());
    String childId =
        server.get("/runs/" + parentId).json().get("children").get(0).get("runId").asText();

    var cancel = server.post("/runs/" + parentId + "/cancel", "{\"reason\": \"test\"}");
    assertThat(cancel.status()).as(cancel.body()).isLessThan(300);

    assertThat(server.awaitRun(parentId).get("state").asText()).isEqualTo("CANCELLED");
    JsonNode child = server.awaitRun(childId);
    assertThat(child.get("state").asText()).isEqualTo("CANCELLED");
    assertThat(child.get("error").asText())
        .isEqualTo("its parent run " + parentId + " was cancelled");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !ProcessHandle.of(shellPid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void a_flow_that_closes_a_cycle_of_subflows_is_refused() throws Exception {
    server.writeFlow(
        "ring_a.yaml",
        "id: ring_a\nnamespace: ring\ntasks:\n  - {id: call, type: subflow, flow: ring_b}\n");
    server.server.watcher().scan();
    Path b =
        server.writeFlow(
            "ring_b.yaml",
            "id: ring_b\nnamespace: ring\ntasks:\n  - {id: call, type: subflow, flow: ring_a}\n");
    server.server.watcher().scan();
    assertThat(server.server.watcher().problems().get(b.toAbsolutePath().normalize()))
        .contains(
            "tasks[0].flow: subflow cycle: ring.ring_b → ring.ring_a → ring.ring_b; a flow cannot"
                + " run itself through subflows");
    assertThat(server.get("/flows/ring/ring_b").status()).isEqualTo(404);
  }
}
