package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staging retention through the CLI: what stays after runs, `weir gc`, retry after gc. */
class StagingGcCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private Path flow(String command) throws Exception {
    Files.writeString(dir.resolve("orders.csv"), "id,amount\n1,10\n2,20\n3,30\n");
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: staged
        tasks:
          - id: orders
            type: file.read
            path: orders.csv
          - id: gate
            type: shell
            command: %s
          - id: total
            type: sql.transform
            dependsOn: [orders, gate]
            sql: SELECT sum(amount) AS total FROM orders
        """
            .formatted(command));
    return flow;
  }

  private String home() {
    return dir.resolve("home").toString();
  }

  private String run(Path flow, int expectedExit) throws Exception {
    Cli.Result r = Cli.run("run", flow.toString(), "--home", home(), "--json");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(expectedExit);
    return JSON.readTree(r.out()).get("runId").asText();
  }

  private Path staging(String runId) {
    return dir.resolve("home/staging").resolve(runId);
  }

  private long stagedRuns() throws Exception {
    try (Stream<Path> s = Files.list(dir.resolve("home/staging"))) {
      return s.count();
    }
  }

  @Test
  void a_succeeded_run_keeps_its_staging_only_until_a_newer_run_of_its_flow_succeeds()
      throws Exception {
    Path flow = flow("true");
    String first = run(flow, 0);
    assertThat(staging(first)).isDirectory(); // the latest run: --task/--from may reuse it

    String second = run(flow, 0);

    assertThat(staging(first)).doesNotExist();
    assertThat(staging(second)).isDirectory();
    assertThat(stagedRuns()).isEqualTo(1);
  }

  @Test
  void a_failed_run_keeps_its_staging_for_retry_and_gc_with_a_short_retention_removes_it()
      throws Exception {
    Path flow = flow("test -f open.marker || { echo 'gate closed' >&2; exit 1; }");
    String failed = run(flow, 1);
    Files.writeString(dir.resolve("open.marker"), "");
    String later = run(flow, 0);
    assertThat(staging(failed)).isDirectory();
    assertThat(staging(later)).isDirectory();

    Cli.Result dry = Cli.run("gc", "--home", home(), "--retention", "0s", "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains(
            "Staging in "
                + dir.resolve("home/staging")
                + " (retention 0s, keepFailed true;"
                + " retention from --retention)")
        .containsPattern(
            "would delete +"
                + failed
                + " +default.staged +FAILED .*ended longer ago than the"
                + " retention")
        .contains("Would delete the staging of 2 run(s)");
    assertThat(staging(failed)).isDirectory();

    Cli.Result kept = Cli.run("gc", "--home", home(), "--json");
    JsonNode k = JSON.readTree(kept.out());
    assertThat(k.get("runs").findValuesAsText("verdict"))
        .containsExactlyInAnyOrder("KEEP_FAILED", "KEEP_LATEST");

    Cli.Result gc = Cli.run("gc", "--home", home(), "--retention", "0s");
    assertThat(gc.exit()).isZero();
    assertThat(gc.out()).containsPattern("deleted +" + failed).contains("Deleted the staging of 2");
    assertThat(stagedRuns()).isZero();
  }

  @Test
  void retry_after_the_staging_was_deleted_runs_the_upstream_task_again_and_says_why()
      throws Exception {
    Path flow = flow("test -f open.marker || { echo 'gate closed' >&2; exit 1; }");
    String failed = run(flow, 1);
    assertThat(Cli.run("gc", "--home", home(), "--retention", "0s").exit()).isZero();
    Files.writeString(dir.resolve("open.marker"), "");

    Cli.Result retried = Cli.run("retry", failed, "--home", home(), "--json");

    assertThat(retried.exit()).as(retried.out() + retried.err()).isZero();
    JsonNode r = JSON.readTree(retried.out());
    assertThat(r.get("tasks").get(0).get("attempts").asInt()).isEqualTo(2); // orders read again
    Cli.Result logs = Cli.run("logs", failed, "--home", home(), "--task", "orders");
    assertThat(logs.out())
        .contains(
            "the dataset attempt 1 staged is gone (deleted by the staging retention, see `weir"
                + " gc`); running this task again");
  }

  @Test
  void staging_retention_comes_from_the_projects_weir_yaml() throws Exception {
    Files.writeString(dir.resolve("weir.yaml"), "staging: {retention: 0s}\n");
    Path flow = flow("true");

    String runId = run(flow, 0);

    // retention 0s: even the latest run's staging goes when it ends
    assertThat(staging(runId)).doesNotExist();
    Cli.Result gc = Cli.run("gc", "--home", home());
    assertThat(gc.out())
        .contains("(retention 0s, keepFailed true; from " + dir.resolve("weir.yaml") + ")");
  }

  @Test
  void a_bad_retention_is_refused_with_the_accepted_forms() {
    Cli.Result r = Cli.run("gc", "--home", home(), "--retention", "soon");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains(
            "error: --retention: 'soon' is not a duration; write it like 30s, 5m, 2h, 1d or"
                + " PT5M");
  }
}
