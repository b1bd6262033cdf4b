package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `weir run --dry-run`, `--task ID` and `--from ID`: the development loop. */
class DevLoopTest {
  private static final String SECRET = "s3cr3t-Kq7-never-printed";

  @TempDir Path dir;
  Path project;
  Surroundings here;

  @BeforeEach
  void project() throws Exception {
    project = dir.resolve("shop");
    Files.createDirectories(project.resolve("flows"));
    Files.writeString(project.resolve("weir.yaml"), "connections: {}\n");
    Files.copy(
        Path.of("src/test/resources/devloop/orders_daily.yaml"),
        project.resolve("flows/orders_daily.yaml"));
    Files.writeString(project.resolve("flows/orders-2026-12-01.csv"), "id,amount\n1,10\n2,20\n");
    Files.writeString(project.resolve("flows/customers.csv"), "id,name\n1,Ada\n2,Bob\n");
    here = Cli.at(project, dir.resolve("user"), Map.of("WEIR_SECRET_API_KEY", SECRET));
  }

  private Cli.Result weir(String... args) {
    return Cli.run(here, args);
  }

  private static final String FLOW = "flows/orders_daily.yaml";
  private static final String DAY = "day=2026-12-01";

  @Test
  void dry_run_prints_the_plan_and_rendered_configuration_and_stores_nothing() {
    Cli.Result r = weir("run", FLOW, "--dry-run", "-i", DAY);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            """
            Dry run of shop.orders_daily: nothing runs, nothing is stored
            Inputs: day=2026-12-01

            Plan (tasks on one line can run together):
              1. extract, customers
              2. shape
              3. load
              4. tell
              finally 1. done

            extract (file.read)
              path: orders-2026-12-01.csv

            customers (file.read)
              path: customers.csv

            shape (sql.transform)
              sql: |
                SELECT o.id, c.name, o.amount
                FROM extract o JOIN customers c USING (id)

            load (file.write)
              dataset: shape
              path: out-2026-12-01.csv

            tell (log)
              message: loaded <outputs.shape.rows> rows, key ******

            done (log)
              message: finished dry-run
            """);
    assertThat(r.out() + r.err()).doesNotContain(SECRET);
    assertThat(project.resolve(".weir")).doesNotExist();
    assertThat(dir.resolve("user/.weir")).doesNotExist();
  }

  @Test
  void dry_run_json_has_the_stages_and_masked_configuration() throws Exception {
    Cli.Result r = weir("run", FLOW, "--dry-run", "--json", "-i", DAY);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain(SECRET);
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("flow").asText()).isEqualTo("shop.orders_daily");
    assertThat(json.get("inputs").get("day").asText()).isEqualTo("2026-12-01");
    assertThat(json.get("plan").get(0).toString())
        .isEqualTo("{\"phase\":\"tasks\",\"stage\":1,\"tasks\":[\"extract\",\"customers\"]}");
    assertThat(json.get("plan").get(4).toString())
        .isEqualTo("{\"phase\":\"finally\",\"stage\":1,\"tasks\":[\"done\"]}");
    assertThat(json.get("tasks").get(4).get("config").get("message").asText())
        .isEqualTo("loaded <outputs.shape.rows> rows, key ******");
    assertThat(json.get("problems")).isEmpty();
  }

  @Test
  void dry_run_reports_a_template_it_cannot_render_with_exit_2() {
    Cli.Result r =
        Cli.run(
            Cli.at(project, dir.resolve("user"), Map.of()), "run", FLOW, "--dry-run", "-i", DAY);
    assertThat(r.exit()).isEqualTo(2);
    // the template is shown as written, and what is wrong with it after the plan
    assertThat(r.out())
        .contains("  message: loaded {{ outputs.shape.rows }} rows, key {{ secret('API_KEY') }}");
    assertThat(r.err())
        .isEqualTo(
            "error: 1 template of flow orders_daily cannot be rendered:\n"
                + "  tasks.tell.message: cannot evaluate 'loaded {{ outputs.shape.rows }} rows, key"
                + " {{ secret('API_KEY') }}': secret 'API_KEY' is not set; set the environment"
                + " variable WEIR_SECRET_API_KEY (known secrets: [])\n");
  }

  @Test
  void task_runs_one_task_on_the_datasets_of_the_latest_run() throws Exception {
    String first = runWholeFlow();
    Files.delete(project.resolve("flows/out-2026-12-01.csv"));
    // the sources are gone: only the staged datasets of the first run can feed `shape` now
    Files.delete(project.resolve("flows/orders-2026-12-01.csv"));
    Files.delete(project.resolve("flows/customers.csv"));

    Cli.Result r = weir("run", FLOW, "--task", "shape", "-i", DAY);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .startsWith(
            "Running shop.orders_daily: shape (1 of 6 tasks)\n"
                + "Reusing datasets of run "
                + first
                + " ("
                + createdAt(first)
                + ") for: extract, customers\n");
    String second = latestRunId();
    assertThat(second).isNotEqualTo(first);
    assertThat(states(second))
        .isEqualTo(
            "extract=SUCCEEDED customers=SUCCEEDED shape=SUCCEEDED load=SKIPPED tell=SKIPPED"
                + " done=SKIPPED");
    assertThat(project.resolve("flows/out-2026-12-01.csv")).doesNotExist();
  }

  @Test
  void from_runs_a_task_and_everything_after_it() throws Exception {
    String first = runWholeFlow();
    Files.delete(project.resolve("flows/out-2026-12-01.csv"));
    Cli.Result r = weir("run", FLOW, "--from", "shape", "-i", DAY);
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .startsWith(
            "Running shop.orders_daily: shape, load, tell (3 of 6 tasks)\n"
                + "Reusing datasets of run "
                + first);
    assertThat(states(latestRunId()))
        .isEqualTo(
            "extract=SUCCEEDED customers=SUCCEEDED shape=SUCCEEDED load=SUCCEEDED tell=SUCCEEDED"
                + " done=SKIPPED");
    assertThat(Files.readString(project.resolve("flows/out-2026-12-01.csv")))
        .contains("Ada")
        .contains("Bob");
    assertThat(r.out()).doesNotContain(SECRET);
  }

  @Test
  void a_task_run_keeps_its_own_copy_of_what_it_took_over_so_the_retention_cannot_break_it()
      throws Exception {
    String first = runWholeFlow();
    Files.delete(project.resolve("flows/orders-2026-12-01.csv"));
    Files.delete(project.resolve("flows/customers.csv"));
    assertThat(weir("run", FLOW, "--task", "shape", "-i", DAY).exit()).isZero();
    String second = latestRunId();
    // the first run is no longer its flow's latest: the staging retention deleted its datasets
    assertThat(project.resolve(".weir/staging").resolve(first)).doesNotExist();

    Cli.Result again = weir("run", FLOW, "--task", "shape", "-i", DAY);

    assertThat(again.exit()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("Reusing datasets of run " + second);
  }

  @Test
  void task_without_an_earlier_run_says_to_run_the_flow_once() {
    Cli.Result r = weir("run", FLOW, "--task", "shape", "-i", DAY);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "error: task shape needs the dataset of extract, which no earlier run of orders_daily"
                + " produced; run the flow once without --task\n");
  }

  @Test
  void task_whose_upstream_dataset_was_cleaned_up_says_so() throws Exception {
    String first = runWholeFlow();
    Path staging = project.resolve(".weir/staging").resolve(first);
    Cli.deleteTree(staging);
    Cli.Result r = weir("run", FLOW, "--from", "shape", "-i", DAY);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .matches(
            "error: task shape needs the dataset of extract, which run "
                + first
                + " of orders_daily staged in "
                + java.util.regex.Pattern.quote(staging.toString())
                + "/extract/\\S+; that file is gone, so run the flow once without --from\n");
  }

  @Test
  void an_unknown_task_gets_the_closest_ids() {
    Cli.Result r = weir("run", FLOW, "--task", "shap", "-i", DAY);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: flow orders_daily has no task 'shap'; did you mean 'shape'? (its tasks:"
                + " extract, customers, shape, load, tell)\n");
    Cli.Result fin = weir("run", FLOW, "--from", "done", "-i", DAY);
    assertThat(fin.err())
        .isEqualTo(
            "error: --from picks one of the main tasks of orders_daily (extract, customers, shape,"
                + " load, tell); 'done' is in finally\n");
  }

  @Test
  void task_from_and_dry_run_do_not_mix() {
    Cli.Result both = weir("run", FLOW, "--task", "shape", "--from", "load");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("error: give --task or --from, not both\n");
    Cli.Result dry = weir("run", FLOW, "--dry-run", "--from", "load");
    assertThat(dry.exit()).isEqualTo(2);
    assertThat(dry.err())
        .isEqualTo("error: --dry-run shows the whole flow; leave out --task and --from\n");
  }

  private String runWholeFlow() {
    Cli.Result r = weir("run", FLOW, "-i", DAY, "--json");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    return latestRunId();
  }

  private String latestRunId() {
    try (StateStore store = JdbcStateStore.h2(project.resolve(".weir"))) {
      return store.listRuns(StateStore.RunQuery.latest(1)).get(0).id();
    }
  }

  private String createdAt(String runId) {
    try (StateStore store = JdbcStateStore.h2(project.resolve(".weir"))) {
      RunRecord r = store.resolveRun(runId);
      return RunCommand.REUSED_TIME.format(r.createdAt());
    }
  }

  /** Each task's latest state, in flow order. */
  private String states(String runId) {
    try (StateStore store = JdbcStateStore.h2(project.resolve(".weir"))) {
      var latest = new java.util.LinkedHashMap<String, TaskState>();
      List<TaskRunRecord> rows = new ArrayList<>(store.taskRuns(runId));
      for (String id : List.of("extract", "customers", "shape", "load", "tell", "done")) {
        rows.stream()
            .filter(t -> t.taskId().equals(id))
            .reduce((a, b) -> b.attempt() >= a.attempt() ? b : a)
            .ifPresent(t -> latest.put(id, t.state()));
      }
      return latest.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(" "));
    }
  }
}
