package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.weir.expr.ExpressionException;
import dev.weir.flow.Backoff;
import dev.weir.flow.RetryPolicy;
import dev.weir.flow.RunIf;
import dev.weir.flow.TaskDef;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The pure parts of the coordinator: transitions, readiness and the failure policy. */
class EngineRulesTest {
  static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void ended_states_never_change_and_waiting_goes_back_to_running() {
    for (TaskState s : TaskState.values()) {
      if (s.isTerminal()) {
        for (TaskState n : TaskState.values()) {
          assertThat(s.canBecome(n)).as(s + " → " + n).isFalse();
        }
      }
    }
    assertThat(TaskState.RUNNING.canBecome(TaskState.WAITING)).isTrue();
    assertThat(TaskState.WAITING.canBecome(TaskState.RUNNING)).isTrue();
    assertThat(TaskState.PENDING.canBecome(TaskState.RUNNING)).isFalse();
    assertThat(TaskState.RETRY_WAIT.canBecome(TaskState.RUNNING)).isFalse();
  }

  @Test
  void the_task_table_refuses_an_impossible_change() {
    var table =
        new TaskTable(Map.of(TaskDef.Phase.MAIN, new dev.weir.flow.Dag(List.of())), new Changes());
    TaskSlot s =
        table.add(def("a", RunIf.SUCCESS, null), TaskRunRecord.pending("r", "a", 1, 1), true);
    table.skip(s, NOW, "not needed");
    assertThatThrownBy(() -> table.start(s, NOW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("task 'a' attempt 1: SKIPPED cannot become RUNNING");
  }

  @Test
  void readiness_waits_for_upstream_then_follows_runIf_and_the_condition() {
    TaskDef d = def("load", RunIf.SUCCESS, null);
    assertThat(decide(d, TaskState.RUNNING, "")).isInstanceOf(Readiness.NotYet.class);
    assertThat(decide(d, TaskState.SUCCEEDED, "")).isInstanceOf(Readiness.Run.class);
    assertThat(decide(d, TaskState.FAILED, ""))
        .isEqualTo(new Readiness.UpstreamFailed("upstream task 'up' did not succeed"));
    TaskDef onFail = def("alert", RunIf.FAILED, null);
    assertThat(decide(onFail, TaskState.SUCCEEDED, ""))
        .isEqualTo(new Readiness.Skip("runIf: failed, and no upstream task failed"));
    assertThat(decide(onFail, TaskState.FAILED, "")).isInstanceOf(Readiness.Run.class);
    TaskDef cond = def("maybe", RunIf.SUCCESS, "{{ x }}");
    assertThat(decide(cond, TaskState.SUCCEEDED, "false"))
        .isEqualTo(new Readiness.Skip("condition {{ x }} is false"));
    assertThat(decide(cond, TaskState.SUCCEEDED, "yes"))
        .isEqualTo(
            new Readiness.Fail("condition {{ x }} rendered 'yes'; it must render true or false"));
  }

  @Test
  void a_condition_that_cannot_render_fails_the_task() {
    TaskDef cond = def("maybe", RunIf.SUCCESS, "{{ nope }}");
    Readiness.Decision d =
        Readiness.decide(
            cond,
            List.of(),
            id -> TaskState.SUCCEEDED,
            t -> {
              throw new ExpressionException(ExpressionException.Kind.UNKNOWN_NAME, "no nope", null);
            },
            m -> m);
    assertThat(d).isInstanceOf(Readiness.Fail.class);
    assertThat(((Readiness.Fail) d).why()).startsWith("condition: ");
  }

  @Test
  void failure_policy_retries_until_the_attempts_are_used_up() {
    var policy = new RetryPolicy(3, Backoff.CONSTANT, Duration.ofSeconds(10), null, false);
    var r =
        FailurePolicy.after(policy, 1, true, false, 1, "down", NOW, RandomGenerator.getDefault());
    assertThat(r)
        .isEqualTo(
            new FailurePolicy.Retry(
                NOW.plusSeconds(10), "attempt 1 failed: down; retrying in 10.0s (try 2 of 3)"));
    assertThat(FailurePolicy.after(policy, 3, true, false, 3, "down", NOW, null))
        .isEqualTo(new FailurePolicy.GiveUp(" (gave up after 3 tries)"));
    assertThat(FailurePolicy.after(policy, 1, false, false, 1, "bad", NOW, null))
        .isEqualTo(new FailurePolicy.GiveUp(""));
    assertThat(FailurePolicy.after(policy, 1, true, true, 1, "down", NOW, null))
        .isEqualTo(new FailurePolicy.GiveUp(""));
  }

  private static Readiness.Decision decide(TaskDef d, TaskState upstream, String rendered) {
    return Readiness.decide(d, List.of("up"), id -> upstream, t -> rendered, m -> m);
  }

  private static TaskDef def(String id, RunIf runIf, String condition) {
    return new TaskDef(
        id,
        "test.ok",
        TaskDef.Phase.MAIN,
        List.of(),
        runIf,
        condition,
        null,
        null,
        null,
        JsonNodeFactory.instance.objectNode(),
        "tasks[0]");
  }
}
