package dev.weir.server;

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

/**
 * Orphaned runs for tests: what a server process that died mid-run leaves in the store, made from a
 * real run of {@link #TWO} (deploy it as {@code two.yaml}).
 */
public final class OrphanRuns {
  private OrphanRuns() {}

  /**
   * A run of {@code two} left as a crashed process leaves it: RUNNING, owned by {@code pid} on this
   * machine, its first task succeeded and its second interrupted mid-attempt. Made from a real
   * run's records (same revision, inputs), stored under a new id.
   */
  public static String make(ServerFixture server, Path marks, long pid) throws Exception {
    String done =
        server
            .post("/flows/t/two/runs", "{\"inputs\": {\"marks\": \"" + marks + "\"}}")
            .json()
            .get("runId")
            .asText();
    server.awaitRun(done);
    StateStore store = server.server.store();
    RunRecord r = store.findRun(done).orElseThrow();
    String id = done + "o";
    Instant now = Instant.now();
    RunRecord orphan =
        new RunRecord(
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
            now,
            now,
            null,
            null,
            host() + ":" + pid);
    var tasks = new ArrayList<TaskRunRecord>();
    for (TaskRunRecord t : store.taskRuns(done)) {
      boolean first = t.taskId().equals("first");
      tasks.add(
          new TaskRunRecord(
              id,
              t.taskId(),
              t.attempt(),
              t.runAttempt(),
              first ? TaskState.SUCCEEDED : TaskState.RUNNING,
              t.queuedAt(),
              t.startedAt(),
              first ? t.endedAt() : null,
              null,
              null,
              first ? t.outputs() : null,
              t.dataset(),
              t.rows(),
              t.stateUpdates()));
    }
    store.write(new StateStore.Batch(List.of(orphan), List.of(), tasks, List.of(), List.of()));
    return id;
  }

  /** A pid that no process has now: one of a process that has ended. */
  public static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  /** This machine's name as the engine writes it in a run's owner. */
  public static String host() throws Exception {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      host = Files.readString(Path.of("/etc/hostname")).strip();
    }
    return host;
  }

  public static final String TWO =
      """
      id: two
      namespace: t
      inputs:
        - {id: marks, type: string}
      tasks:
        - id: first
          type: shell
          env: {MARKS: "{{ inputs.marks }}"}
          command: echo first >> "$MARKS"
        - id: second
          type: shell
          dependsOn: [first]
          env: {MARKS: "{{ inputs.marks }}"}
          command: echo second >> "$MARKS"
      """;
}
