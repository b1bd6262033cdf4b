package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  @TempDir Path dir;
  EngineFixture fx;

  @BeforeEach
  void setUp() {
    TestTasks.reset();
    fx =
        new EngineFixture(
            dir,
            dev.weir.store.JdbcStateStore.h2(dir.resolve(".weir")),
            Map.of("WEIR_SECRET_CANARY", "canary-5ecret-value"),
            RunListener.NONE);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void tasks_without_dependsOn_run_after_the_task_above() {
    RunRecord run =
        fx.run(
            """
            id: chain
            tasks:
              - {id: a, type: test.ok}
              - {id: b, type: test.ok}
              - {id: c, type: test.ok}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(TestTasks.STARTED)
        .containsExactly(run.id() + "/a/1", run.id() + "/b/1", run.id() + "/c/1");
    assertThat(fx.latest(run.id()).values()).allMatch(t -> t.state() == TaskState.SUCCEEDED);
  }

  @Test
  void retries_with_backoff_until_success() {
    RunRecord run =
        fx.run(
            """
            id: flaky
            tasks:
              - id: a
                type: test.flaky
                failures: 2
                retry: {attempts: 3, backoff: exponential, delay: 20ms}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    List<TaskRunRecord> attempts = fx.attempts(run.id(), "a");
    assertThat(attempts)
        .extracting(TaskRunRecord::state)
        .containsExactly(TaskState.FAILED, TaskState.FAILED, TaskState.SUCCEEDED);
    assertThat(attempts.get(0).error()).isEqualTo("flaky failure #1");
    // exponential: the second wait is twice the first
    assertThat(Duration.between(attempts.get(0).endedAt(), attempts.get(1).retryAt()))
        .isEqualTo(Duration.ofMillis(20));
    assertThat(Duration.between(attempts.get(1).endedAt(), attempts.get(2).retryAt()))
        .isEqualTo(Duration.ofMillis(40));
    // timers run on the monotonic clock, timestamps on the wall clock: allow a hair of skew
    assertThat(attempts.get(2).startedAt())
        .isAfterOrEqualTo(attempts.get(2).retryAt().minusMillis(5));
    assertThat(fx.logs(run.id()))
        .extracting(LogLine::message)
        .anyMatch(m -> m.contains("attempt 1 failed: flaky failure #1; retrying in 20ms"));
  }

  @Test
  void exhausted_retries_run_onFailure_and_mark_downstream_upstream_failed() {
    RunRecord run =
        fx.run(
            """
            id: exhausted
            retry: {attempts: 2, delay: 10ms}
            tasks:
              - {id: extract, type: test.fail, message: source is down}
              - {id: load, type: test.ok}
            onFailure:
              - id: alert
                type: test.ok
                message: "{{ failedTask.id }} failed: {{ failedTask.error }}"
            finally:
              - {id: cleanup, type: test.ok}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error())
        .isEqualTo("task 'extract' failed: source is down (gave up after 2 tries)");
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("extract").state()).isEqualTo(TaskState.FAILED);
    assertThat(t.get("extract").attempt()).isEqualTo(2);
    assertThat(t.get("load").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(t.get("alert").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(t.get("cleanup").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(fx.logs(run.id()))
        .extracting(LogLine::message)
        .contains("extract failed: source is down (gave up after 2 tries)");
  }

  @Test
  void onFailure_tasks_are_skipped_when_the_run_succeeds() {
    RunRecord run =
        fx.run(
            """
            id: fine
            tasks:
              - {id: a, type: test.ok}
            onFailure:
              - {id: alert, type: test.ok}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.latest(run.id()).get("alert").state()).isEqualTo(TaskState.SKIPPED);
  }

  @Test
  void non_retryable_failure_is_not_retried() {
    RunRecord run =
        fx.run(
            """
            id: permanent
            tasks:
              - id: a
                type: test.fail
                retryable: false
                retry: {attempts: 5, delay: 10ms}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.attempts(run.id(), "a")).hasSize(1);
  }

  @Test
  void task_timeout_interrupts_the_attempt_and_marks_it_timed_out() {
    long t0 = System.nanoTime();
    RunRecord run =
        fx.run(
            """
            id: slow
            tasks:
              - {id: a, type: test.sleep, duration: 30s, timeout: 200ms}
              - {id: b, type: test.ok}
            """);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("a").state()).isEqualTo(TaskState.TIMED_OUT);
    assertThat(t.get("a").error()).isEqualTo("timed out after 200ms (task timeout)");
    assertThat(t.get("b").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(run.error()).isEqualTo("task 'a' timed out: timed out after 200ms (task timeout)");
  }

  @Test
  void run_timeout_stops_running_tasks_and_fails_the_run() {
    RunRecord run =
        fx.run(
            """
            id: slowrun
            timeout: 300ms
            tasks:
              - {id: a, type: test.sleep, duration: 30s}
              - {id: b, type: test.ok}
            onFailure:
              - {id: alert, type: test.ok}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).isEqualTo("run timed out after 300ms (flow timeout)");
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("a").state()).isEqualTo(TaskState.TIMED_OUT);
    assertThat(t.get("b").state()).isEqualTo(TaskState.CANCELLED);
    assertThat(t.get("alert").state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void condition_false_skips_the_task_and_the_tasks_after_it_still_run() {
    String flow =
        """
        id: cond
        inputs:
          - {id: full, type: boolean, default: false}
        tasks:
          - {id: a, type: test.ok, condition: "{{ inputs.full }}"}
          - {id: b, type: test.ok}
        """;
    RunRecord run = fx.run(flow);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("a").state()).isEqualTo(TaskState.SKIPPED);
    assertThat(t.get("a").error()).isEqualTo("condition {{ inputs.full }} is false");
    assertThat(t.get("b").state()).isEqualTo(TaskState.SUCCEEDED);
    RunRecord full = fx.run(flow, Map.of("full", "true"));
    assertThat(fx.latest(full.id()).get("a").state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void runIf_failed_and_always_decide_from_upstream_states() {
    RunRecord run =
        fx.run(
            """
            id: runif
            tasks:
              - {id: a, type: test.fail, retryable: false}
              - {id: on_fail, type: test.ok, runIf: failed}
              - {id: always, type: test.ok, dependsOn: [a], runIf: always}
              - {id: only_ok, type: test.ok, dependsOn: [always], runIf: failed}
            """);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("on_fail").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(t.get("always").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(t.get("only_ok").state()).isEqualTo(TaskState.SKIPPED);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void cancel_interrupts_running_tasks_and_marks_the_run_cancelled() throws Exception {
    RunHandle h =
        fx.start(
            """
            id: cancel
            tasks:
              - {id: a, type: test.sleep, duration: 30s}
              - {id: b, type: test.ok}
            """,
            Map.of());
    long deadline = System.currentTimeMillis() + 10_000;
    while (TestTasks.started(h.runId(), "a") == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    long t0 = System.nanoTime();
    h.cancel("cancelled by the user (Ctrl-C)");
    RunRecord run = h.await(Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(run.state()).isEqualTo(RunState.CANCELLED);
    assertThat(run.error()).isEqualTo("cancelled by the user (Ctrl-C)");
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("a").state()).isEqualTo(TaskState.CANCELLED);
    assertThat(t.get("b").state()).isEqualTo(TaskState.CANCELLED);
    assertThat(fx.store.findRun(run.id()).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
  }

  @Test
  void outputs_of_earlier_tasks_are_visible_to_expressions() {
    RunRecord run =
        fx.run(
            """
            id: outs
            variables:
              table: "analytics.{{ flow.id }}"
            tasks:
              - id: a
                type: test.ok
                values: {count: 42}
              - id: b
                type: test.ok
                message: "a made {{ outputs.a.count }} rows for {{ vars.table }}"
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.logs(run.id()))
        .extracting(LogLine::message)
        .contains("a made 42 rows for analytics.outs");
  }

  @Test
  void secrets_are_masked_in_logs_errors_and_outputs() {
    RunRecord run =
        fx.run(
            """
            id: secrets
            tasks:
              - id: a
                type: test.ok
                message: "token is {{ secret('CANARY') }}"
                values: {leak: "{{ secret('CANARY') }}"}
              - id: b
                type: test.fail
                retryable: false
                message: "could not log in with {{ secret('CANARY') }}"
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    String everything =
        fx.logs(run.id()).toString()
            + fx.store.taskRuns(run.id())
            + fx.store.findRun(run.id()).orElseThrow();
    assertThat(everything).doesNotContain("canary-5ecret-value").contains("token is ******");
    assertThat(run.error()).isEqualTo("task 'b' failed: could not log in with ******");
  }

  @Test
  void parallelism_bounds_tasks_running_at_once() {
    var listener =
        new RunListener() {
          int now;
          int max;

          @Override
          public synchronized void taskChanged(dev.weir.flow.TaskDef task, TaskRunRecord r) {
            if (r.state() == TaskState.RUNNING) {
              max = Math.max(max, ++now);
            } else if (r.state().isTerminal() && r.startedAt() != null) {
              now--;
            }
          }
        };
    fx.close();
    fx =
        new EngineFixture(
            dir, dev.weir.store.JdbcStateStore.h2(dir.resolve(".weir")), Map.of(), listener);
    RunRecord run =
        fx.run(
            """
            id: par
            parallelism: 2
            tasks:
              - {id: a, type: test.sleep, duration: 100ms, dependsOn: []}
              - {id: b, type: test.sleep, duration: 100ms, dependsOn: []}
              - {id: c, type: test.sleep, duration: 100ms, dependsOn: []}
              - {id: d, type: test.sleep, duration: 100ms, dependsOn: []}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(listener.max).isEqualTo(2);
  }

  @Test
  void retry_reruns_failed_tasks_and_keeps_succeeded_ones() {
    RunRecord first =
        fx.run(
            """
            id: retryme
            tasks:
              - {id: a, type: test.ok}
              - {id: b, type: test.flaky, failures: 1}
              - {id: c, type: test.ok}
            """);
    assertThat(first.state()).isEqualTo(RunState.FAILED);
    RunRecord second = fx.engine.retry(first.id()).await();
    assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(TestTasks.started(first.id(), "a")).isEqualTo(1);
    assertThat(TestTasks.started(first.id(), "b")).isEqualTo(2);
    assertThat(TestTasks.started(first.id(), "c")).isEqualTo(1);
  }

  @Test
  void task_state_is_kept_only_when_the_whole_run_succeeds() {
    String flow =
        """
        id: counting
        tasks:
          - {id: count, type: test.counter}
          - {id: load, type: test.flaky, failures: 1}
        """;
    RunRecord failed = fx.run(flow);
    assertThat(failed.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.store.getState("default", "counting", "count", "count")).isEmpty();

    RunRecord retried = fx.engine.retry(failed.id()).await();
    assertThat(retried.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.store.getState("default", "counting", "count", "count")).contains("1");

    RunRecord next = fx.run(flow);
    assertThat(next.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(next.id()).get("count").outputs()).contains("\"count\":1");
    assertThat(fx.store.getState("default", "counting", "count", "count")).contains("1");
  }

  @Test
  void retry_of_a_succeeded_run_is_refused() {
    RunRecord run =
        fx.run(
            """
            id: done
            tasks:
              - {id: a, type: test.ok}
            """);
    assertThatThrownBy(() -> fx.engine.retry(run.id()))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            "run "
                + run.id()
                + " is SUCCEEDED; only a FAILED or CANCELLED run can be"
                + " retried");
  }

  @Test
  void wrong_inputs_are_all_reported_before_anything_runs() {
    assertThatThrownBy(() ->
            fx.run(
                """
                id: inputs
                inputs:
                  - {id: day, type: date}
                  - {id: limit, type: int}
                tasks:
                  - {id: a, type: test.ok}
                """,
                Map.of("limit", "ten", "dya", "2026-01-01")))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            """
            3 problems with the inputs of flow inputs:
              unknown input 'dya'; did you mean 'day'? (flow inputs declares: day, limit)
              missing required input 'day' (date); pass it as --input day=<a date like 2026-01-31>
              input 'limit': 'ten' is not a valid int; expected a whole number like 42\
            """);
    assertThat(fx.store.listRuns(dev.weir.store.StateStore.RunQuery.latest(10))).isEmpty();
  }

  @Test
  void after_a_run_timeout_onFailure_tasks_still_get_their_retries() {
    RunRecord run =
        fx.run(
            """
            id: timeout_then_alert
            timeout: 200ms
            tasks:
              - {id: a, type: test.sleep, duration: 30s}
            onFailure:
              - id: alert
                type: test.flaky
                failures: 1
                retry: {attempts: 2, delay: 10ms}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).isEqualTo("run timed out after 200ms (flow timeout)");
    assertThat(fx.attempts(run.id(), "alert"))
        .extracting(TaskRunRecord::state)
        .containsExactly(TaskState.FAILED, TaskState.SUCCEEDED);
  }

  @Test
  void the_run_timeout_does_not_cut_short_finally_tasks() {
    // a must succeed within the run timeout (2 s leaves a busy machine room); the finally task
    // alone runs past it
    RunRecord run =
        fx.run(
            """
            id: slow_cleanup
            timeout: 2s
            tasks:
              - {id: a, type: test.ok}
            finally:
              - {id: cleanup, type: test.sleep, duration: 2500ms}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.latest(run.id()).get("cleanup").state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void a_secret_in_a_condition_is_masked_in_the_error() {
    RunRecord run =
        fx.run(
            """
            id: secret_condition
            tasks:
              - {id: a, type: test.ok, condition: "{{ secret('CANARY') }}x"}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).doesNotContain("canary-5ecret-value").contains("rendered '******x'");
  }
}
