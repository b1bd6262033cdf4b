package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.lineage.LineageConfig;
import dev.weir.lineage.LineageEmitter;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.TaskRegistry;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.StepTasks;
import dev.weir.testing.TestTasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steps: child task runs an attempt records (the models of a sql.models task). */
class StepsTest {
  private static final String SECRET = "canary-5ecret-value";

  @TempDir Path dir;
  Path lineage;
  LineageEmitter emitter;
  EngineFixture fx;

  @BeforeEach
  void setUp() {
    TestTasks.reset();
    StepTasks.reset();
    lineage = dir.resolve("lineage.jsonl");
    var store = JdbcStateStore.h2(dir.resolve(".weir"));
    emitter = LineageEmitter.start(LineageConfig.toFile(lineage), store, s -> s);
    fx = new EngineFixture(dir, store, Map.of("WEIR_SECRET_CANARY", SECRET), emitter);
  }

  @AfterEach
  void tearDown() {
    emitter.close();
    fx.close();
  }

  private static final String FLOW =
      """
      id: models
      namespace: shop
      tasks:
        - id: m
          type: test.steps
          message: "token {{ secret('CANARY') }}"
      """;

  @Test
  void each_step_is_a_task_run_with_its_log_outputs_audit_and_lineage() throws Exception {
    RunRecord run = fx.run(FLOW);

    // a failed step does not fail the run: the task's own result decides
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("m").state()).isEqualTo(TaskState.SUCCEEDED);
    TaskRunRecord orders = t.get("m/load_orders");
    assertThat(orders.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(orders.attempt()).isEqualTo(1);
    assertThat(orders.rows()).isEqualTo(3);
    assertThat(orders.startedAt()).isNotNull();
    assertThat(orders.endedAt()).isNotNull();
    assertThat(orders.outputs()).contains("select * from raw.orders");
    assertThat(t.get("m/load_customers").state()).isEqualTo(TaskState.SUCCEEDED);
    TaskRunRecord broken = t.get("m/broken");
    assertThat(broken.state()).isEqualTo(TaskState.FAILED);
    assertThat(broken.error()).isEqualTo("model broken: token ******");
    TaskRunRecord skipped = t.get("m/after_broken");
    assertThat(skipped.state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(skipped.error()).isEqualTo("upstream step broken failed");

    // logs are the step's own, masked
    List<LogLine> logs = fx.store.logs(run.id(), "m/load_orders");
    assertThat(logs).extracting(LogLine::message).contains("loading orders (token ******)");
    assertThat(fx.store.logs(run.id(), "m/broken"))
        .extracting(LogLine::message)
        .contains("failing: token ******");

    // audit trail
    var audit =
        fx.store.audits(run.id()).stream()
            .filter(a -> a.taskId().equals("m/load_orders"))
            .findFirst()
            .orElseThrow();
    assertThat(audit.rowsWritten()).isEqualTo(3);
    assertThat(audit.inputs()).contains("shop.raw.orders");
    assertThat(audit.outputs()).contains("shop.mart.orders");
    var trail =
        dev.weir.audit.RunAudit.of(
            run, fx.store.taskRuns(run.id()), fx.store.audits(run.id()), run.endedAt());
    assertThat(trail.tasks())
        .filteredOn(a -> a.taskId().equals("m/load_customers"))
        .singleElement()
        .satisfies(a -> {
          assertThat(a.rowsWritten()).isEqualTo(3);
          assertThat(a.outputs()).extracting(r -> r.name()).containsExactly("shop.mart.customers");
        });

    // lineage: each step its own job, START then COMPLETE with its datasets, FAIL for broken
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events().size() >= 10);
    List<String> kinds = events().stream().map(e -> job(e) + " " + type(e)).toList();
    assertThat(kinds)
        .contains(
            "models.m/load_orders START",
            "models.m/load_orders COMPLETE",
            "models.m/broken START",
            "models.m/broken FAIL")
        .doesNotContain("models.m/after_broken START");
    var complete =
        events().stream()
            .filter(e -> job(e).equals("models.m/load_orders") && type(e).equals("COMPLETE"))
            .findFirst()
            .orElseThrow();
    assertThat(complete.path("outputs").get(0).path("name").asText()).isEqualTo("shop.mart.orders");
    assertThat(complete.path("inputs").get(0).path("name").asText()).isEqualTo("shop.raw.orders");

    // secrets nowhere
    String everything =
        fx.store.taskRuns(run.id())
            + " "
            + fx.logs(run.id())
            + " "
            + fx.store.audits(run.id())
            + Files.readString(lineage);
    assertThat(everything).doesNotContain(SECRET);
  }

  @Test
  void steps_from_many_threads_are_all_stored() {
    RunRecord run =
        fx.run(
            """
            id: wide
            tasks:
              - {id: m, type: test.steps, parallel: 24}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    for (int i = 0; i < 24; i++) {
      assertThat(t.get("m/p" + i).state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(t.get("m/p" + i).rows()).isEqualTo(i);
    }
  }

  @Test
  void a_cancel_ends_the_steps_still_running_cancelled() throws Exception {
    RunHandle h =
        fx.start(
            """
            id: cancel
            tasks:
              - {id: m, type: test.steps, latch: never}
            """,
            Map.of());
    fx.awaitTasks(h.runId(), t -> t.get("m/slow").state() == TaskState.RUNNING);
    h.cancel("cancelled by the user");
    RunRecord run = h.await(Duration.ofSeconds(10));
    assertThat(run.state()).isEqualTo(RunState.CANCELLED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("m").state()).isEqualTo(TaskState.CANCELLED);
    assertThat(t.get("m/slow").state()).isEqualTo(TaskState.CANCELLED);
    assertThat(t.get("m/slow").endedAt()).isNotNull();
    assertThat(t.get("m/load_orders").state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void a_task_that_times_out_ends_its_open_steps_cancelled() {
    // the timeout must outlast the steps before slow (their reports are dropped once the attempt
    // stops): 500 ms was close on a busy machine; the task waits on slow forever anyway
    RunRecord run =
        fx.run(
            """
            id: slow
            tasks:
              - {id: m, type: test.steps, latch: never, timeout: 3s, retry: {attempts: 1}}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("m").state()).isEqualTo(TaskState.TIMED_OUT);
    assertThat(t.get("m/slow").state()).isEqualTo(TaskState.CANCELLED);
    assertThat(t.get("m/slow").error()).contains("attempt 1 of task 'm' stopped");
    assertThat(t.get("m/load_orders").state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void a_step_name_is_checked_and_used_once_per_attempt() {
    RunRecord run =
        fx.run(
            """
            id: names
            tasks:
              - {id: m, type: test.steps, parallel: 1, reuse: true}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error()).contains("step 'p0' of task 'm' was recorded already in this attempt");
  }

  @Test
  void a_resumed_run_ends_the_steps_the_stopped_process_left_and_records_them_again()
      throws Exception {
    RunHandle h =
        fx.start(
            """
            id: crash
            tasks:
              - {id: m, type: test.steps, latch: go}
            """,
            Map.of());
    fx.awaitTasks(h.runId(), t -> t.get("m/slow").state() == TaskState.RUNNING);
    fx.engine.close(); // the process "dies": the step stays RUNNING in the store
    assertThat(fx.latest(h.runId()).get("m/slow").state()).isEqualTo(TaskState.RUNNING);
    StepTasks.open("go");
    try (var engine =
        new Engine(fx.store, TaskRegistry.load(), EngineOptions.defaults(dir.resolve(".weir")))) {
      RunRecord run = engine.resume(h.runId(), false).await(Duration.ofSeconds(30));
      assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    }
    List<TaskRunRecord> slow = fx.attempts(h.runId(), "m/slow");
    assertThat(slow).extracting(TaskRunRecord::attempt).containsExactly(1, 2);
    assertThat(slow.get(0).state()).isEqualTo(TaskState.FAILED);
    assertThat(slow.get(0).error()).startsWith("interrupted:");
    assertThat(slow.get(1).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(fx.attempts(h.runId(), "m/load_orders"))
        .extracting(TaskRunRecord::state)
        .containsExactly(TaskState.SUCCEEDED, TaskState.SUCCEEDED);
    assertThat(fx.store.taskRuns(h.runId())).noneMatch(r -> !r.state().isTerminal());
    // the attempt after the crash is told which steps the interrupted one finished
    assertThat(fx.logs(h.runId()))
        .filteredOn(l -> l.taskId().equals("m") && l.attempt() == 2)
        .extracting(LogLine::message)
        .contains("succeeded earlier: [load_customers, load_orders]");
  }

  @Test
  void retry_runs_the_parent_task_again_and_its_steps_as_its_new_attempt() throws Exception {
    RunRecord first =
        fx.run(
            """
            id: again
            tasks:
              - {id: m, type: test.steps, failFirst: true}
              - {id: after, type: test.ok}
            """);
    assertThat(first.state()).isEqualTo(RunState.FAILED);
    assertThat(first.error()).contains("task 'm' failed");
    RunRecord second = fx.engine.retry(first.id()).await(Duration.ofSeconds(30));
    assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.attempts(first.id(), "m")).extracting(TaskRunRecord::attempt).contains(1, 2);
    List<TaskRunRecord> orders = fx.attempts(first.id(), "m/load_orders");
    assertThat(orders).extracting(TaskRunRecord::attempt).containsExactly(1, 2);
    assertThat(orders).extracting(TaskRunRecord::runAttempt).containsExactly(1, 2);
    // the retry made no rows of its own for steps: they are not tasks of the flow
    assertThat(fx.store.taskRuns(first.id())).allMatch(r -> r.state().isTerminal());
    // the second attempt is told which steps the first finished (not broken, not after_broken)
    assertThat(fx.logs(first.id()))
        .filteredOn(l -> l.taskId().equals("m") && l.message().startsWith("succeeded earlier:"))
        .extracting(LogLine::attempt, LogLine::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "succeeded earlier: []"),
            org.assertj.core.groups.Tuple.tuple(
                2, "succeeded earlier: [load_customers, load_orders]"));
  }

  private List<com.fasterxml.jackson.databind.JsonNode> events() {
    try {
      if (!Files.exists(lineage)) {
        return List.of();
      }
      var json = new ObjectMapper();
      return Files.readAllLines(lineage).stream()
          .map(l -> {
            try {
              return json.readTree(l);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String job(com.fasterxml.jackson.databind.JsonNode e) {
    return e.path("job").path("name").asText();
  }

  private static String type(com.fasterxml.jackson.databind.JsonNode e) {
    return e.path("eventType").asText();
  }
}
