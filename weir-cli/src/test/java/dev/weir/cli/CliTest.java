package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;

  @Test
  void validate_reports_every_problem_with_file_line_and_column() throws Exception {
    Path good = dir.resolve("flows/good.yaml");
    Path bad = dir.resolve("flows/bad.yaml");
    Files.createDirectories(good.getParent());
    Files.writeString(good, "id: good\ntasks:\n  - {id: a, type: noop}\n");
    Files.writeString(
        bad,
        """
        id: bad
        tasks:
          - id: a
            type: nop
          - id: b
            type: log
            dependsOn: [lod]
        """);
    Cli.Result r = Cli.run("validate", dir.resolve("flows").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("ok       " + good).contains("1 valid, 1 invalid");
    assertThat(r.err())
        .contains("invalid  " + bad)
        .contains(
            bad
                + ":4:5 tasks[0].type: unknown task type 'nop'; closest: noop, log (known:"
                + " cdc.mysql, cdc.postgres, file.read, file.write, forEach, http.extract, jdbc.extract,"
                + " jdbc.load, jdbc.query, kafka.publish, log, mqtt.publish, nats.publish, noop,")
        .contains(
            " quality.check, rabbitmq.publish, s3.delete, s3.download, s3.list, s3.upload, sftp.delete, sftp.download,"
                + " sftp.list, sftp.upload, shell, sql.models, sql.transform, subflow")
        .contains("wait.file, wait.http, wait.sql")
        .contains(bad + ":5:5 tasks[1]: missing required property 'message' for a log task")
        .contains(bad + ":7:17 tasks[1].dependsOn[0]: unknown task 'lod' (known: a, b)");
  }

  @Test
  void run_ignores_pools_and_says_so_once() throws Exception {
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: pooled
        tasks:
          - {id: a, type: noop, pool: warehouse}
          - {id: b, type: noop, pool: warehouse}
          - {id: c, type: noop}
        """);
    Cli.Result r = Cli.run("run", flow.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .containsOnlyOnce(
            "Note: pools apply in `weir server` only; this run ignores `pool:` (tasks a, b)");
  }

  @Test
  void run_json_prints_a_machine_readable_summary_and_exit_code_1_on_failure() throws Exception {
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: failing
        tasks:
          - {id: ok, type: noop}
          - {id: broken, type: shell, command: "echo oops >&2; exit 3"}
        """);
    Files.writeString(dir.resolve("weir.yaml"), "connections: {}\n"); // runs in dir/.weir
    Cli.Result r = Cli.run("run", flow.toString(), "--json");
    assertThat(r.exit()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("state").asText()).isEqualTo("FAILED");
    assertThat(json.get("error").asText())
        .isEqualTo(
            "task 'broken' failed: shell command exited with code 3; last stderr line: oops");
    assertThat(json.get("tasks").get(0).get("state").asText()).isEqualTo("SUCCEEDED");
    String runId = json.get("runId").asText();

    Cli.Result logs =
        Cli.run(
            "logs", runId, "--home", dir.resolve(".weir").toString(), "--task", "broken", "--json");
    assertThat(logs.exit()).isZero();
    JsonNode line = new ObjectMapper().readTree(logs.out().lines().findFirst().orElseThrow());
    assertThat(line.get("run").asText()).isEqualTo(runId);
    assertThat(line.get("task").asText()).isEqualTo("broken");
    assertThat(line.get("attempt").asInt()).isEqualTo(1);
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("message").asText()).isEqualTo("oops");

    Cli.Result show =
        Cli.run("runs", "show", runId.substring(0, 10), "--home", dir.resolve(".weir").toString());
    assertThat(show.out()).contains("State    FAILED").contains("broken");
    Cli.Result list = Cli.run("runs", "list", "--home", dir.resolve(".weir").toString());
    assertThat(list.out()).contains(runId).contains("default.failing");
  }

  @Test
  void runs_audit_shows_rows_read_written_and_rejected_and_run_lineage_goes_to_a_file()
      throws Exception {
    Files.writeString(dir.resolve("orders.csv"), "id,amount\n1,5\n2,x\n3,7\n");
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: audited
        tasks:
          - id: orders
            type: file.read
            path: orders.csv
            maxRejected: 50%
            schema: {id: BIGINT, amount: BIGINT}
          - id: out
            type: file.write
            dataset: orders
            path: out.csv
        """);
    Files.writeString(dir.resolve("weir.yaml"), "connections: {}\n"); // runs in dir/.weir
    Path events = dir.resolve("lineage.jsonl");
    Cli.Result r = Cli.run("run", flow.toString(), "--json", "--lineage", events.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String runId = new ObjectMapper().readTree(r.out()).get("runId").asText();

    Cli.Result audit = Cli.run("runs", "audit", runId, "--home", dir.resolve(".weir").toString());
    assertThat(audit.exit()).as(audit.err()).isZero();
    assertThat(audit.out())
        .contains("State    SUCCEEDED")
        .contains("Tasks    2 (SUCCEEDED 2)")
        .contains("Rows     read 5, written 4, rejected 1")
        .contains("    in   file " + dir.resolve("orders.csv").toAbsolutePath() + " (3 rows)")
        .contains("    out  file " + dir.resolve("out.csv").toAbsolutePath() + " (2 rows)");
    JsonNode json =
        new ObjectMapper()
            .readTree(
                Cli.run("runs", "audit", runId, "--json", "--home", dir.resolve(".weir").toString())
                    .out());
    assertThat(json.path("summary").path("rowsRejected").asLong()).isEqualTo(1);
    assertThat(json.path("tasks").get(1).path("rowsWritten").asLong()).isEqualTo(2);
    assertThat(Files.readAllLines(events))
        .hasSize(6)
        .allSatisfy(l -> assertThat(l).contains("\"job\":{\"namespace\":\"default\""));
  }

  @Test
  void inputs_are_typed_and_bad_ones_are_refused_before_the_run() throws Exception {
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: typed
        inputs:
          - {id: day, type: date}
        tasks:
          - {id: hello, type: log, message: "day {{ inputs.day }}"}
        """);
    Cli.Result bad = Cli.run("run", flow.toString(), "--input", "day=yesterday");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err())
        .contains("input 'day': 'yesterday' is not a valid date; expected a date like 2026-01-31");
    Cli.Result ok = Cli.run("run", flow.toString(), "-i", "day=2026-03-01");
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("hello: day 2026-03-01");
  }

  @Test
  void a_canary_secret_never_appears_in_output_logs_or_the_store() throws Exception {
    String canary = "canary-Zq81-do-not-leak";
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        id: leaky
        tasks:
          - id: echo
            type: shell
            command: echo "the token is $TOKEN"; echo "env copy $WEIR_SECRET_CANARY"
            env: {TOKEN: "{{ secret('CANARY') }}"}
          - id: say
            type: log
            message: "logging {{ secret('CANARY') }}"
          - id: fail
            type: shell
            command: echo "failed with {{ secret('CANARY') }}" >&2; exit 1
        """);
    Process child = Cli.child(dir, Map.of("WEIR_SECRET_CANARY", canary), "run", "flow.yaml");
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String printed =
        Files.readString(dir.resolve("child.out")) + Files.readString(dir.resolve("child.err"));
    assertThat(printed).contains("FAILED").contains("failed with ******");
    Cli.Result logs =
        Cli.run(
            "logs",
            new ObjectMapper().readTree("{}").toString().isEmpty() ? "" : latestRun(),
            "--home",
            dir.resolve(".weir").toString(),
            "--json");
    assertThat(logs.out()).contains("the token is ******").contains("logging ******");
    String everything =
        printed
            + logs.out()
            + Cli.run("runs", "show", latestRun(), "--home", dir.resolve(".weir").toString()).out();
    assertThat(everything).doesNotContain(canary);
    // and not in the store's files either (H2 stores text uncompressed)
    try (var files = Files.walk(dir.resolve(".weir"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as(f.toString())
            .doesNotContain(canary);
      }
    }
  }

  @Test
  void runs_and_logs_live_in_postgresql_with_db() throws Exception {
    String db = dev.weir.testing.TestDatabases.freshPostgresSchemaUrl();
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: on_pg
        tasks:
          - {id: hello, type: log, message: "hello from postgres"}
          - {id: data, type: sql.transform, sql: "SELECT range AS id FROM range(10)"}
        """);
    Cli.Result r = Cli.run("run", flow.toString(), "--db", db, "--json");
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    String runId = new ObjectMapper().readTree(r.out()).get("runId").asText();
    assertThat(Files.exists(dir.resolve(".weir/state.mv.db"))).isFalse();
    assertThat(Cli.run("runs", "list", "--db", db).out()).contains(runId);
    assertThat(Cli.run("logs", runId, "--db", db).out()).contains("hello from postgres");
    assertThat(Cli.run("runs", "show", runId, "--db", db).out()).contains("data").contains("10");
  }

  @Test
  void reading_commands_refuse_a_home_that_does_not_exist() {
    Cli.Result r = Cli.run("runs", "list", "--home", dir.resolve("nowhere").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: no Weir home at "
                + dir.resolve("nowhere")
                + " (given with --home); run a flow first, or choose the home with --home DIR"
                + " (the rule: --home DIR, else .weir beside the nearest weir.yaml upward, else"
                + " $WEIR_HOME, else ~/.weir)\n");
    assertThat(Files.exists(dir.resolve("nowhere"))).isFalse();
  }

  private String latestRun() {
    Cli.Result list = Cli.run("runs", "list", "--home", dir.resolve(".weir").toString());
    return list.out().lines().skip(2).findFirst().orElseThrow().split("\\s+")[0];
  }
}
