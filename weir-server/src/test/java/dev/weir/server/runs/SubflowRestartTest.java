package dev.weir.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.OrphanRuns;
import dev.weir.server.ServerFixture;
import dev.weir.store.RunParent;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that died while a parent run waited for its subflow: the next server's recovery resumes
 * both, and the parent's subflow task re-attaches to the child run instead of starting another.
 */
class SubflowRestartTest {
  @TempDir Path dir;
  ServerFixture server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void after_a_restart_the_subflow_task_reattaches_to_its_child() throws Exception {
    Path marks = dir.resolve("marks");
    server = new ServerFixture(dir).start();
    server.writeFlow(
        "child.yaml",
        """
        id: child
        namespace: t
        inputs:
          - {id: marks, type: string}
        tasks:
          - id: mark
            type: shell
            env: {MARKS: "{{ inputs.marks }}"}
            command: echo child >> "$MARKS"
        """);
    server.writeFlow(
        "parent.yaml",
        """
        id: parent
        namespace: t
        inputs:
          - {id: marks, type: string}
        tasks:
          - id: call
            type: subflow
            flow: child
            inputs: {marks: "{{ inputs.marks }}"}
        """);
    server.server.watcher().scan();
    String body = "{\"inputs\": {\"marks\": \"" + marks + "\"}}";
    String done = server.post("/flows/t/parent/runs", body).json().get("runId").asText();
    assertThat(server.awaitRun(done).get("state").asText()).isEqualTo("SUCCEEDED");
    StateStore store = server.server.store();
    String doneChild = store.children(done, "call").get(0).runId();

    // what a server killed mid-wait leaves: parent and child RUNNING, owned by a dead process
    String owner = OrphanRuns.host() + ":" + OrphanRuns.deadPid();
    Instant now = Instant.now();
    String parent = done + "o";
    String child = doneChild + "o";
    store.write(
        new StateStore.Batch(
            List.of(
                orphan(store.findRun(done).orElseThrow(), parent, owner, now, null),
                orphan(
                    store.findRun(doneChild).orElseThrow(),
                    child,
                    owner,
                    now.plusMillis(5),
                    "{\"parentRunId\":\"" + parent + "\",\"parentTaskId\":\"call\"}")),
            List.of(),
            List.of(running(store, done, parent), running(store, doneChild, child)),
            List.of()));
    store.recordParent(new RunParent(child, parent, "call", 1, now.plusMillis(5)));
    server.close();

    server = new ServerFixture(dir).start(); // its recovery resumes both runs

    assertThat(server.awaitRun(parent).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(server.awaitRun(child).get("state").asText()).isEqualTo("SUCCEEDED");
    store = server.server.store();
    assertThat(store.listRuns(new StateStore.RunQuery("t", "child", null, 10)))
        .as("no second child")
        .extracting(RunRecord::id)
        .containsExactlyInAnyOrder(doneChild, child);
    assertThat(Files.readAllLines(marks)).containsExactly("child", "child");
    List<TaskRunRecord> call =
        store.taskRuns(parent).stream().filter(t -> t.taskId().equals("call")).toList();
    assertThat(call)
        .extracting(TaskRunRecord::state)
        .containsExactly(TaskState.FAILED, TaskState.SUCCEEDED);
    assertThat(store.logs(parent, "call"))
        .anyMatch(l -> l.message().equals("re-attached to child run " + child + " of t.child"));
  }

  private static RunRecord orphan(
      RunRecord r, String id, String owner, Instant created, String triggerData) {
    return new RunRecord(
        id,
        r.namespace(),
        r.flowId(),
        r.revision(),
        r.flowFile(),
        RunState.RUNNING,
        r.inputs(),
        r.logicalDate(),
        r.trigger(),
        1,
        created,
        created,
        null,
        null,
        owner,
        triggerData == null ? r.triggerData() : triggerData);
  }

  // the run's only task, interrupted mid-attempt
  private static TaskRunRecord running(StateStore store, String from, String id) {
    var out = new ArrayList<TaskRunRecord>();
    for (TaskRunRecord t : store.taskRuns(from)) {
      out.add(
          new TaskRunRecord(
              id,
              t.taskId(),
              t.attempt(),
              t.runAttempt(),
              TaskState.RUNNING,
              t.queuedAt(),
              t.startedAt(),
              null,
              null,
              null,
              null,
              null,
              -1,
              null));
    }
    assertThat(out).hasSize(1);
    return out.get(0);
  }
}
