package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.TaskRegistry;
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

class ForEachTest {
  @TempDir Path dir;
  EngineFixture fx;

  @BeforeEach
  void setUp() {
    TestTasks.reset();
    fx = new EngineFixture(dir);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private List<String> started(String runId) {
    String p = runId + "/";
    return TestTasks.STARTED.stream()
        .filter(s -> s.startsWith(p))
        .map(s -> s.substring(p.length()))
        .toList();
  }

  @Test
  void runs_the_group_once_per_item_with_item_and_sibling_outputs() {
    RunRecord run =
        fx.run(
            """
            id: each
            tasks:
              - id: list
                type: test.ok
                values: {days: [mon, tue, wed]}
              - id: per_day
                type: forEach
                items: "{{ outputs.list.days }}"
                concurrency: 1
                tasks:
                  - id: extract
                    type: test.ok
                    values: {day: "{{ item }}", n: "{{ itemIndex }}"}
                  - id: load
                    type: test.ok
                    values: {loaded: "{{ outputs.extract.day }}-{{ outputs.list.days | length }}"}
              - id: report
                type: test.ok
                values: {first: "{{ outputs.per_day.items[0].load.loaded }}", n: "{{ outputs.per_day.succeeded }}"}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(started(run.id()))
        .containsExactly(
            "list/1",
            "per_day[mon]/extract/1",
            "per_day[mon]/load/1",
            "per_day[tue]/extract/1",
            "per_day[tue]/load/1",
            "per_day[wed]/extract/1",
            "per_day[wed]/load/1",
            "report/1");
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("per_day[tue]/extract").outputs()).contains("\"day\":\"tue\"", "\"n\":\"1\"");
    assertThat(t.get("per_day[wed]/load").outputs()).contains("\"loaded\":\"wed-3\"");
    assertThat(t.get("per_day").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(t.get("per_day").outputs()).contains("\"keys\":[\"mon\",\"tue\",\"wed\"]");
    assertThat(t.get("report").outputs()).contains("\"first\":\"mon-3\"", "\"n\":\"3\"");
  }

  @Test
  void a_date_range_gives_one_item_per_day_and_a_key_expression_names_them() {
    RunRecord run =
        fx.run(
            """
            id: days
            tasks:
              - id: g
                type: forEach
                dates: {from: 2026-01-30, to: 2026-02-02}
                key: "d{{ item | replace({'-': ''}) }}"
                tasks:
                  - {id: t, type: test.ok, values: {day: "{{ item }}"}}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.latest(run.id()).keySet())
        .contains("g[d20260130]/t", "g[d20260131]/t", "g[d20260201]/t", "g[d20260202]/t");
    assertThat(fx.latest(run.id()).get("g[d20260201]/t").outputs()).contains("2026-02-01");
  }

  @Test
  void a_failing_item_is_retried_alone() {
    RunRecord run =
        fx.run(
            """
            id: flaky_items
            tasks:
              - id: g
                type: forEach
                items: [a, b, c]
                tasks:
                  - id: t
                    type: test.flaky
                    failures: 1
                    only: "{{ item == 'b' }}"
                    retry: {attempts: 2, delay: 10ms}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.attempts(run.id(), "g[a]/t")).hasSize(1);
    assertThat(fx.attempts(run.id(), "g[b]/t"))
        .extracting(TaskRunRecord::state)
        .containsExactly(TaskState.FAILED, TaskState.SUCCEEDED);
    assertThat(fx.attempts(run.id(), "g[c]/t")).hasSize(1);
  }

  private static final String FAILING_B =
      """
      id: fail_b
      tasks:
        - id: g
          type: forEach
          items: [a, b, c]
          concurrency: 1
          onItemFailure: %s
          tasks:
            - id: t
              type: test.flaky
              failures: 1
              only: "{{ item == 'b' }}"
              message: b is broken
            - {id: after, type: test.ok}
        - {id: report, type: test.ok, values: {failed: "{{ outputs.g.failed }}"}}
      """;

  @Test
  void onItemFailure_fail_stops_new_items_and_fails_the_group_naming_the_item() {
    RunRecord run = fx.run(FAILING_B.formatted("fail"));
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error())
        .isEqualTo("task 'g' failed: item 'b' failed: task 'g[b]/t' failed: b is broken #1");
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("g[b]/after").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(t).doesNotContainKey("g[c]/t"); // never started
    assertThat(t.get("report").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
  }

  @Test
  void onItemFailure_continue_runs_every_item_and_the_run_succeeds() {
    RunRecord run = fx.run(FAILING_B.formatted("continue"));
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("g[b]/t").state()).isEqualTo(TaskState.FAILED);
    assertThat(t.get("g[c]/after").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(t.get("g").outputs()).contains("\"failed\":1", "\"failedKeys\":[\"b\"]");
    assertThat(t.get("report").outputs()).contains("\"failed\":\"1\"");
  }

  @Test
  void retry_runs_again_only_the_items_that_did_not_succeed() throws Exception {
    RunRecord first = fx.run(FAILING_B.formatted("fail"));
    assertThat(first.state()).isEqualTo(RunState.FAILED);
    TestTasks.STARTED.clear();
    RunRecord second = fx.engine.retry(first.id()).await(Duration.ofSeconds(30));
    assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
    // a is kept; b's failed task and the never-run after, then c, run
    assertThat(started(first.id()))
        .containsExactly("g[b]/t/2", "g[b]/after/2", "g[c]/t/1", "g[c]/after/1", "report/2");
  }

  @Test
  void concurrency_bounds_the_items_running_at_once() throws Exception {
    RunHandle h =
        fx.start(
            """
            id: window
            parallelism: 8
            tasks:
              - id: g
                type: forEach
                items: [1, 2, 3, 4, 5]
                concurrency: 2
                tasks:
                  - {id: t, type: test.block, latch: go}
            """,
            Map.of());
    fx.awaitTasks(h.runId(), t -> TestTasks.INSIDE.get() == 2);
    TestTasks.open("go");
    assertThat(h.await(Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(TestTasks.MAX_INSIDE.get()).isEqualTo(2);
  }

  @Test
  void a_resumed_run_runs_only_the_unfinished_items() throws Exception {
    RunHandle h =
        fx.start(
            """
            id: crash
            tasks:
              - id: g
                type: forEach
                items: [a, b, c, d]
                concurrency: 2
                tasks:
                  - {id: t, type: test.block, latch: "{{ item == 'a' ? 'open' : 'shut' }}"}
            """,
            Map.of());
    TestTasks.open("open");
    // a done, b and c running (blocked) when the process "dies"
    fx.awaitTasks(
        h.runId(),
        t ->
            t.get("g[a]/t").state() == TaskState.SUCCEEDED
                && t.get("g[b]/t").state() == TaskState.RUNNING
                && t.get("g[c]/t").state() == TaskState.RUNNING);
    fx.engine.close();
    TestTasks.STARTED.clear();
    TestTasks.open("shut");
    try (var engine =
        new Engine(fx.store, TaskRegistry.load(), EngineOptions.defaults(dir.resolve(".weir")))) {
      RunRecord run = engine.resume(h.runId(), false).await(Duration.ofSeconds(30));
      assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    }
    assertThat(started(h.runId())).containsExactlyInAnyOrder("g[b]/t/2", "g[c]/t/2", "g[d]/t/1");
    assertThat(fx.attempts(h.runId(), "g[b]/t").get(0).error()).startsWith("interrupted:");
  }

  @Test
  void nested_groups_name_their_task_runs_by_both_keys_and_see_the_parent_item() {
    RunRecord run =
        fx.run(
            """
            id: nested
            tasks:
              - id: outer
                type: forEach
                items: [x, y]
                tasks:
                  - id: inner
                    type: forEach
                    items: [1, 2]
                    tasks:
                      - {id: t, type: test.ok, values: {pair: "{{ parent.item }}{{ item }}"}}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    Map<String, TaskRunRecord> t = fx.latest(run.id());
    assertThat(t.get("outer[y]/inner[2]/t").outputs()).contains("\"pair\":\"y2\"");
    assertThat(t.get("outer[x]/inner").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(t.get("outer").outputs()).contains("\"keys\":[\"x\",\"y\"]");
  }

  @Test
  void items_that_are_not_a_list_fail_the_group_clearly() {
    RunRecord run =
        fx.run(
            """
            id: notalist
            tasks:
              - {id: list, type: test.ok, values: {n: 3}}
              - id: g
                type: forEach
                items: "{{ outputs.list.n }}"
                tasks:
                  - {id: t, type: test.ok}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(run.id()).get("g").error())
        .startsWith("forEach: items {{ outputs.list.n }} gave Integer 3, not a list");
  }

  @Test
  void keys_that_repeat_fail_the_group_naming_both_items() {
    RunRecord run =
        fx.run(
            """
            id: dupkeys
            tasks:
              - id: g
                type: forEach
                items: [{k: a}, {k: a}]
                key: "{{ item.k }}"
                tasks:
                  - {id: t, type: test.ok}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.latest(run.id()).get("g").error())
        .isEqualTo(
            "forEach: key {{ item.k }} gave 'a' for items 0 and 1; keys must be unique, e.g."
                + " add {{ itemIndex }}");
  }

  @Test
  void items_that_cannot_name_a_task_run_are_named_by_their_index() {
    RunRecord run =
        fx.run(
            """
            id: paths
            tasks:
              - id: g
                type: forEach
                items: ["s3://raw/a.csv", "s3://raw/b.csv"]
                tasks:
                  - {id: t, type: test.ok, values: {path: "{{ item }}"}}
            """);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.latest(run.id()).get("g[1]/t").outputs()).contains("s3://raw/b.csv");
  }

  @Test
  void a_dry_run_shows_the_group_with_its_items_rendered_and_its_key_as_written() {
    var file =
        fx.write(
            "dry.yaml",
            """
            id: dry
            inputs:
              - {id: region, type: string, default: north}
            tasks:
              - id: g
                type: forEach
                items: ["{{ inputs.region }}", south]
                key: "r-{{ item }}"
                tasks:
                  - {id: t, type: test.ok, values: {r: "{{ item }}"}}
            """);
    DryRun plan = DryRun.of(fx.parse(file), Map.of(), Map.of(), null);
    assertThat(plan.problems()).isEmpty();
    var g = plan.stages().get(0).tasks().get(0);
    assertThat(g.config().get("items").toString()).isEqualTo("[\"north\",\"south\"]");
    assertThat(g.config().get("key").asText()).isEqualTo("r-{{ item }}");
  }
}
