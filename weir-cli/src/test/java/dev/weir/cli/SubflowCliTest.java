package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subflows under {@code weir validate}, {@code weir run} and {@code weir resume}. */
class SubflowCliTest {
  @TempDir Path dir;

  @Test
  void validate_reports_a_cycle_of_subflows_across_files_at_the_task_that_closes_it()
      throws Exception {
    Path flows = dir.resolve("flows");
    Files.createDirectories(flows.resolve("b"));
    Files.writeString(
        flows.resolve("a.yaml"),
        "id: a\nnamespace: t\ntasks:\n  - id: call_b\n    type: subflow\n    flow: t/b\n");
    Files.writeString(
        flows.resolve("b/b.yaml"),
        "id: b\nnamespace: t\ntasks:\n  - id: call_a\n    type: subflow\n    flow: a\n");
    Files.writeString(
        flows.resolve("c.yaml"),
        "id: c\nnamespace: t\ntasks:\n  - id: call_a\n    type: subflow\n    flow: a\n");

    Cli.Result r = Cli.run("validate", flows.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out())
        .contains("ok       " + flows.resolve("c.yaml"))
        .contains("2 valid, 1 invalid");
    assertThat(r.err())
        .contains("invalid  " + flows.resolve("a.yaml"))
        .contains(
            flows.resolve("a.yaml")
                + ":6:5 tasks[0].flow: subflow cycle: t.a → t.b → t.a; a flow cannot run itself"
                + " through subflows. Break the cycle: let one of these flows stop calling the"
                + " next");
  }

  @Test
  void weir_run_finds_the_child_flow_in_the_project_and_shows_its_outputs() throws Exception {
    Files.writeString(dir.resolve("weir.yaml"), "connections: {}\n");
    Files.createDirectories(dir.resolve("flows/shared"));
    Files.writeString(
        dir.resolve("flows/shared/greet.yaml"),
        """
        id: greet
        namespace: shared
        inputs:
          - {id: who, type: string}
        tasks:
          - id: say
            type: shell
            env: {WHO: "{{ inputs.who }}"}
            command: echo "hello $WHO" > "$WHO.txt"
        """);
    Files.createDirectories(dir.resolve("flows/main"));
    Files.writeString(
        dir.resolve("flows/main/parent.yaml"),
        """
        id: parent
        namespace: main
        tasks:
          - id: call
            type: subflow
            flow: shared/greet
            inputs: {who: ada}
          - id: after
            type: log
            message: "child {{ outputs.call.runId }} said {{ outputs.call.outputs.say.exitCode }}"
        """);
    Path home = dir.resolve("home");
    Cli.Result r =
        Cli.run("run", dir.resolve("flows/main/parent.yaml").toString(), "--home", home.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    // the child's tasks show under the parent's, marked as a subflow's
    assertThat(r.out()).containsPattern("✔ ↳ say +SUCCEEDED");
    assertThat(Files.readString(dir.resolve("flows/shared/ada.txt")).strip())
        .isEqualTo("hello ada");
    try (StateStore store = JdbcStateStore.h2(home)) {
      RunRecord child = store.listRuns(new StateStore.RunQuery("shared", "greet", null, 5)).get(0);
      assertThat(child.state()).isEqualTo(RunState.SUCCEEDED);
      RunRecord parent = store.listRuns(new StateStore.RunQuery("main", "parent", null, 5)).get(0);
      assertThat(store.parentOf(child.id()).orElseThrow().parentRunId()).isEqualTo(parent.id());
      assertThat(store.logs(parent.id(), "after"))
          .anyMatch(l -> l.message().equals("child " + child.id() + " said 0"));
    }
  }

  @Test
  void a_parent_killed_while_it_waits_reattaches_to_its_child_on_resume() throws Exception {
    Files.writeString(
        dir.resolve("parent.yaml"),
        """
        id: parent
        namespace: t
        tasks:
          - id: call
            type: subflow
            flow: child
          - id: after
            type: shell
            command: echo ran >> after.count
        """);
    Files.writeString(
        dir.resolve("child.yaml"),
        """
        id: child
        namespace: t
        tasks:
          - id: slow
            type: shell
            command: |
              echo started >> slow.count
              if [ "$(wc -l < slow.count)" -eq 1 ]; then sleep 60; fi
        """);
    Path home = dir.resolve("home");
    Process weir = Cli.child(dir, Map.of(), "run", "parent.yaml", "--home", home.toString());
    waitFor(() -> Files.exists(dir.resolve("slow.count")), weir);
    weir.descendants().forEach(ProcessHandle::destroyForcibly); // the child's `sleep`
    weir.destroyForcibly(); // SIGKILL: parent and child are left RUNNING in the store
    assertThat(weir.waitFor(10, TimeUnit.SECONDS)).isTrue();

    String parentId;
    String childId;
    try (StateStore store = JdbcStateStore.h2(home)) {
      RunRecord parent = store.listRuns(new StateStore.RunQuery("t", "parent", null, 5)).get(0);
      parentId = parent.id();
      childId = store.children(parentId, "call").get(0).runId();
      assertThat(parent.state()).isEqualTo(RunState.RUNNING);
      assertThat(store.findRun(childId).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    }

    Cli.Result resumed = Cli.run("resume", parentId, "--home", home.toString());

    assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
    assertThat(Files.readAllLines(dir.resolve("slow.count"))).hasSize(2);
    assertThat(Files.readAllLines(dir.resolve("after.count"))).hasSize(1);
    try (StateStore store = JdbcStateStore.h2(home)) {
      assertThat(store.listRuns(new StateStore.RunQuery("t", "child", null, 5)))
          .as("no second child run")
          .extracting(RunRecord::id)
          .containsExactly(childId);
      assertThat(store.findRun(childId).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(store.findRun(parentId).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
      List<TaskRunRecord> call =
          store.taskRuns(parentId).stream().filter(t -> t.taskId().equals("call")).toList();
      assertThat(call).hasSize(2);
      assertThat(call.get(0).error()).startsWith("interrupted:");
      assertThat(store.logs(parentId, "call"))
          .anyMatch(l -> l.message().equals("re-attached to child run " + childId + " of t.child"));
    }
  }

  private void waitFor(Cli.Check check, Process child) throws Exception {
    Cli.waitFor(dir, child, check);
  }
}
