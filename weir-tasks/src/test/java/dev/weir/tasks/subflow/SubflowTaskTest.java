package dev.weir.tasks.subflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.RunHandle;
import dev.weir.store.RunParent;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.testing.EngineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subflow task on a real engine and H2 store, with real shell tasks in the child flows. */
class SubflowTaskTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private static final String CHILD =
      """
      id: child
      namespace: t
      inputs:
        - id: name
          type: string
      tasks:
        - id: write
          type: shell
          env: {NAME: "{{ inputs.name }}"}
          command: printf 'name\\n%s\\n' "$NAME" > people-$NAME.csv
        - id: read
          type: file.read
          path: "people-{{ inputs.name }}.csv"
      """;

  @TempDir Path dir;
  private EngineFixture fx;

  @BeforeEach
  void start() {
    fx = new EngineFixture(dir);
    fx.write("child.yaml", CHILD);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void the_child_runs_with_its_inputs_and_its_outputs_are_visible_downstream() throws Exception {
    RunRecord run =
        fx.run(
            """
            id: parent
            namespace: t
            tasks:
              - id: call
                type: subflow
                flow: child
                inputs: {name: ada}
              - id: after
                type: shell
                env:
                  ROWS: "{{ outputs.call.outputs.read.rows }}"
                  STATE: "{{ outputs.call.state }}"
                command: echo "$ROWS $STATE" > after.txt
            """);
    assertThat(run.state()).as(run.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(Files.readString(dir.resolve("after.txt")).strip()).isEqualTo("1 SUCCEEDED");
    List<RunParent> children = fx.store.children(run.id(), "call");
    assertThat(children).hasSize(1);
    RunRecord child = fx.store.findRun(children.get(0).runId()).orElseThrow();
    assertThat(child.flowId()).isEqualTo("child");
    assertThat(child.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(child.trigger()).isEqualTo("subflow");
    assertThat(child.logicalDate())
        .isEqualTo(fx.store.findRun(run.id()).orElseThrow().logicalDate());
    assertThat(fx.store.parentOf(child.id()).orElseThrow().parentRunId()).isEqualTo(run.id());
    assertThat(fx.latest(run.id()).get("call").outputs())
        .contains("\"runId\":\"" + child.id() + "\"");
  }

  @Test
  void a_failing_child_fails_the_task_with_its_first_failure_and_run_id() {
    fx.write(
        "broken.yaml",
        """
        id: broken
        namespace: t
        tasks:
          - id: ok
            type: shell
            command: "true"
          - id: boom
            type: shell
            command: echo "disk full" >&2; exit 3
        """);
    RunRecord run = fx.run(parent("flow: broken"));
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    String child = fx.store.children(run.id(), "call").get(0).runId();
    assertThat(fx.latest(run.id()).get("call").error())
        .isEqualTo(
            "subflow t.broken run "
                + child
                + " ended FAILED: task 'boom' failed: shell command exited with code 3;"
                + " last stderr line: disk full");
  }

  @Test
  void an_unknown_flow_is_a_clear_error_naming_the_flows_of_the_namespace() {
    fx.write("other.yaml", "id: other\nnamespace: t\ntasks:\n  - id: a\n    type: noop\n");
    RunRecord run = fx.run(parent("flow: chlid"));
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(run.id()).get("call").error())
        .isEqualTo(
            "subflow: no flow 'chlid' in namespace 't' (known there: child, other, parent);"
                + " did you mean 'child'?");
    assertThat(fx.attempts(run.id(), "call")).hasSize(1); // not retried: it cannot heal
  }

  @Test
  void a_child_flow_file_that_is_not_valid_is_named_with_its_problem() {
    Path broken = fx.write("broken_child.yaml", "id: broken_child\nnamespace: t\ntasks: []\n");
    RunRecord run = fx.run(parent("flow: broken_child"));
    assertThat(fx.latest(run.id()).get("call").error())
        .startsWith("subflow: " + broken + " defines flow 'broken_child' but is not valid: ")
        .endsWith("; see `weir validate " + broken + "`");
  }

  @Test
  void bad_inputs_are_a_clear_error_naming_the_input() {
    RunRecord run = fx.run(parent("flow: t/child\n    inputs: {nmae: ada}"));
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(run.id()).get("call").error())
        .startsWith("subflow t.child was not started: ")
        .contains("'nmae'");
    assertThat(fx.store.children(run.id(), null)).isEmpty();
  }

  @Test
  void await_false_succeeds_once_the_child_started() throws Exception {
    Path gate = dir.resolve("gate");
    fx.write(
        "slow.yaml",
        """
        id: slow
        namespace: t
        tasks:
          - id: hold
            type: shell
            command: for i in $(seq 1 600); do [ -f gate ] && exit 0; sleep 0.1; done; exit 1
        """);
    RunRecord run = fx.run(parent("flow: slow\n    await: false"));
    assertThat(run.state()).as(run.error()).isEqualTo(RunState.SUCCEEDED);
    String child = fx.store.children(run.id(), "call").get(0).runId();
    assertThat(fx.store.findRun(child).orElseThrow().state().isTerminal()).isFalse();
    Files.writeString(gate, "");
    awaitState(child, RunState.SUCCEEDED);
  }

  @Test
  void a_pinned_revision_runs_that_revision_not_the_current_one() throws Exception {
    fx.write(
        "versioned.yaml",
        "id: versioned\nnamespace: t\ntasks:\n"
            + "  - id: mark\n    type: shell\n    command: echo one > version.txt\n");
    RunRecord first = fx.run(parent("flow: versioned"));
    assertThat(first.state()).as(first.error()).isEqualTo(RunState.SUCCEEDED);
    String pinned =
        fx.store
            .findRun(fx.store.children(first.id(), "call").get(0).runId())
            .orElseThrow()
            .revision();
    fx.write(
        "versioned.yaml",
        "id: versioned\nnamespace: t\ntasks:\n"
            + "  - id: mark\n    type: shell\n    command: echo two > version.txt\n");
    RunRecord run = fx.run(parent("flow: versioned\n    revision: " + pinned));
    assertThat(run.state()).as(run.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(Files.readString(dir.resolve("version.txt")).strip()).isEqualTo("one");

    RunRecord unknown = fx.run(parent("flow: versioned\n    revision: abc123"));
    assertThat(fx.latest(unknown.id()).get("call").error())
        .startsWith("subflow t.versioned: no revision 'abc123' is stored");
  }

  @Test
  void a_cycle_seen_only_at_run_time_fails_with_the_chain() {
    // the flow's name is a template: validation cannot see that ping calls pong calls ping
    fx.write("ping.yaml", pingPong("ping", "pong"));
    fx.write("pong.yaml", pingPong("pong", "ping"));
    RunRecord run = fx.run(pingPong("top", "ping"));
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    String ping = fx.store.children(run.id(), "call").get(0).runId();
    String pong = fx.store.children(ping, "call").get(0).runId();
    assertThat(fx.latest(pong).get("call").error())
        .isEqualTo(
            "subflow cycle: t.top (run "
                + run.id()
                + ") → t.ping (run "
                + ping
                + ") → t.pong (run "
                + pong
                + ") → t.ping; a flow cannot run itself through subflows. Break the cycle: let"
                + " one of these flows stop calling the next");
    assertThat(fx.store.children(pong, null)).isEmpty();
  }

  @Test
  void a_subflow_cancelled_with_its_parent() throws Exception {
    fx.write(
        "sleepy.yaml",
        """
        id: sleepy
        namespace: t
        tasks:
          - id: nap
            type: shell
            command: echo $$ > nap.pid; sleep 120
        """);
    RunHandle parent = fx.start(parent("flow: sleepy"), Map.of());
    Path pidFile = dir.resolve("nap.pid");
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!(Files.exists(pidFile) && !Files.readString(pidFile).isBlank())) {
      assertThat(System.nanoTime()).as("the child's command started").isLessThan(deadline);
      Thread.sleep(20);
    }
    long shellPid = Long.parseLong(Files.readString(pidFile).strip());
    String child = fx.store.children(parent.runId(), "call").get(0).runId();

    long asked = System.nanoTime();
    parent.cancel("stopped by the test");
    RunRecord ended = parent.await(LIMIT);

    assertThat(ended.state()).isEqualTo(RunState.CANCELLED);
    awaitState(child, RunState.CANCELLED);
    RunRecord childRun = fx.store.findRun(child).orElseThrow();
    assertThat(childRun.error()).isEqualTo("its parent run " + parent.runId() + " was cancelled");
    assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(20));
    assertThat(ProcessHandle.of(shellPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    TaskRunRecord call = fx.latest(parent.runId()).get("call");
    assertThat(call.state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void input_values_of_any_yaml_type_reach_the_child_as_its_typed_inputs() throws Exception {
    fx.write(
        "typed.yaml",
        """
        id: typed
        namespace: t
        inputs:
          - {id: n, type: int}
          - {id: flag, type: boolean}
        tasks:
          - id: show
            type: shell
            env: {N: "{{ inputs.n + 1 }}", ON: "{{ inputs.flag }}"}
            command: echo "$N $ON" > typed.txt
        """);
    RunRecord run = fx.run(parent("flow: typed\n    inputs: {n: 41, flag: true}"));
    assertThat(run.state()).as(run.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(Files.readString(dir.resolve("typed.txt")).strip()).isEqualTo("42 true");
  }

  @Test
  void a_subflow_task_that_times_out_cancels_its_child() throws Exception {
    fx.write(
        "dawdle.yaml",
        """
        id: dawdle
        namespace: t
        tasks:
          - id: nap
            type: shell
            command: sleep 120
        """);
    RunRecord run = fx.run(parent("flow: dawdle\n    timeout: 1s"));
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(run.id()).get("call").state()).isEqualTo(TaskState.TIMED_OUT);
    String child = fx.store.children(run.id(), "call").get(0).runId();
    awaitState(child, RunState.CANCELLED);
  }

  private static String parent(String call) {
    return """
    id: parent
    namespace: t
    tasks:
      - id: call
        type: subflow
        %s
    """
        .formatted(call);
  }

  private static String pingPong(String id, String next) {
    return """
    id: %s
    namespace: t
    variables: {next: %s}
    tasks:
      - id: call
        type: subflow
        flow: "{{ vars.next }}"
    """
        .formatted(id, next);
  }

  private void awaitState(String runId, RunState state) throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    StateStore store = fx.store;
    while (store.findRun(runId).orElseThrow().state() != state) {
      assertThat(System.nanoTime()).as("run %s ends %s", runId, state).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
