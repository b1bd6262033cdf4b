package dev.weir.tasks.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.sql.SqlTransformTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonTaskTest {
  @TempDir Path dir;
  private TestContext ctx;

  @BeforeAll
  static void needsPython() {
    PythonInstalled.assume();
  }

  @BeforeEach
  void setUp() {
    ctx = new TestContext(dir);
  }

  private TaskResult python(String yaml) throws Exception {
    return ctx.run("py", new PythonTask(), yaml);
  }

  @Test
  void reads_an_upstream_csv_and_writes_a_dataset_that_sql_reads() throws Exception {
    ctx.run(
        "orders",
        new SqlTransformTask(),
        "sql: SELECT * FROM (VALUES (1, 'north', 10.5), (2, 'south', 3.0), (3, 'north', 4.5))"
            + " t(id, region, amount)");
    TaskResult r =
        python(
            """
            script: |
              import csv, json, os
              totals = {}
              with open(os.environ["WEIR_DATASET_ORDERS_CSV"]) as f:
                  for row in csv.DictReader(f):
                      totals[row["region"]] = totals.get(row["region"], 0) + float(row["amount"])
              with open(os.path.join(os.environ["WEIR_OUTPUT_DIR"], "totals.csv"), "w") as f:
                  w = csv.writer(f)
                  w.writerow(["region", "total"])
                  for region, total in sorted(totals.items()):
                      w.writerow([region, total])
              manifest = json.load(open(os.environ["WEIR_MANIFEST"]))
              print("::output upstreamRows=" + str(manifest["datasets"]["orders"]["rows"]))
            """);
    assertThat(r.dataset().rowCount()).isEqualTo(2);
    assertThat(r.dataset().schema()).extracting(c -> c.name()).containsExactly("region", "total");
    assertThat(r.outputs()).containsEntry("upstreamRows", "3").containsEntry("exitCode", 0);
    TaskResult sum = ctx.run("sum", new SqlTransformTask(), "sql: SELECT sum(total) AS t FROM py");
    try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        var rs =
            c.createStatement()
                .executeQuery("SELECT t FROM read_parquet('" + sum.dataset().path() + "')")) {
      rs.next();
      assertThat(rs.getDouble(1)).isEqualTo(18.0);
    }
  }

  @Test
  void parquet_paths_and_json_outputs_reach_the_script_and_come_back() throws Exception {
    ctx.run("raw-orders", new SqlTransformTask(), "sql: SELECT 1 AS id");
    TaskResult r =
        python(
            """
            script: |
              import json, os
              assert os.environ["WEIR_DATASET_RAW_ORDERS"].endswith(".parquet")
              with open(os.path.join(os.environ["WEIR_OUTPUT_DIR"], "outputs.json"), "w") as f:
                  json.dump({"scored": 42, "model": {"name": "v2"}}, f)
              with open(os.path.join(os.environ["WEIR_OUTPUT_DIR"], "scores.jsonl"), "w") as f:
                  f.write('{"id": 1, "score": 0.5}\\n{"id": 2, "score": 0.7}\\n')
            """);
    assertThat(r.outputs()).containsEntry("scored", 42);
    assertThat(r.dataset().rowCount()).isEqualTo(2);
  }

  @Test
  void a_failing_script_fails_the_attempt_with_the_end_of_its_stderr() {
    assertThatThrownBy(() ->
            python(
                """
                script: |
                  print("working")
                  raise ValueError("the model file is missing")
                """))
        .isInstanceOfSatisfying(
            TaskFailedException.class, e -> assertThat(e.outputs()).containsEntry("exitCode", 1))
        .hasMessageContaining("exited with code 1")
        .hasMessageContaining("ValueError: the model file is missing");
    assertThat(ctx.log()).contains("INFO working");
  }

  @Test
  void cancelling_ends_the_script_and_what_it_started() throws Exception {
    Path pids = dir.resolve("pids");
    var run =
        CompletableFuture.supplyAsync(() -> {
          try {
            return python(
                """
                env: {PIDS: "%s"}
                script: |
                  import os, subprocess, time
                  child = subprocess.Popen(["sleep", "120"])
                  with open(os.environ["PIDS"], "w") as f:
                      f.write(f"{os.getpid()} {child.pid}")
                  time.sleep(120)
                """
                    .formatted(pids));
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(pids) && Files.size(pids) > 0);
    String[] ids = Files.readString(pids).strip().split(" ");
    ctx.cancel();
    assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS)).hasMessageContaining("cancelled");
    for (String id : ids) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ProcessHandle.of(Long.parseLong(id)).map(p -> !p.isAlive()).orElse(true));
    }
  }

  @Test
  void requirements_are_installed_once_into_a_kept_virtual_environment() throws Exception {
    Path wheel = TestWheel.build(dir);
    String yaml =
        """
        requirements: ["%s"]
        venvDir: venvs
        script: |
          import weirdemo
          print("::output greeting=" + weirdemo.greet("weir"))
        """
            .formatted(wheel);
    assertThat(python(yaml).outputs()).containsEntry("greeting", "hello weir");
    assertThat(ctx.log()).anyMatch(l -> l.contains("creating a virtual environment"));
    assertThat(python(yaml).outputs()).containsEntry("greeting", "hello weir");
    assertThat(ctx.log()).anyMatch(l -> l.contains("using the virtual environment"));
    try (var envs = Files.list(dir.resolve("venvs"))) {
      assertThat(envs.filter(Files::isDirectory).count()).isEqualTo(1);
    }
  }

  @Test
  void a_requirement_pip_cannot_install_fails_and_is_tried_afresh_next_time() throws Exception {
    String yaml =
        """
        requirements: ["%s"]
        venvDir: venvs
        script: print("never")
        """
            .formatted(dir.resolve("missing-1.0-py3-none-any.whl"));
    assertThatThrownBy(() -> python(yaml)).hasMessageContaining("pip install failed");
    try (var envs = Files.walk(dir.resolve("venvs"))) {
      assertThat(envs.filter(p -> p.getFileName().toString().equals(Venvs.READY))).isEmpty();
    }
  }

  @Test
  void a_script_file_runs_from_the_flow_directory_and_a_missing_one_is_named() throws Exception {
    Files.writeString(
        dir.resolve("hello.py"), "import sys\nprint('::output args=' + ','.join(sys.argv[1:]))\n");
    assertThat(python("{file: hello.py, args: [a, b]}").outputs()).containsEntry("args", "a,b");
    assertThatThrownBy(() -> python("file: nope.py"))
        .hasMessageContaining("python file 'nope.py' does not exist");
  }

  @Test
  void several_data_files_need_a_named_dataset() {
    String script =
        """
        script: |
          import os
          for name in ["a.csv", "b.csv"]:
              open(os.path.join(os.environ["WEIR_OUTPUT_DIR"], name), "w").write("x\\n1\\n")
        """;
    assertThatThrownBy(() -> python(script))
        .hasMessageContaining("wrote 2 data files")
        .hasMessageContaining("dataset: a.csv");
  }

  @Test
  void validation_wants_one_of_script_and_file() {
    assertThat(TestContext.problems(new PythonTask(), "{script: 'print(1)', file: x.py}"))
        .anyMatch(p -> p.contains("both script and file"));
    assertThat(TestContext.problems(new PythonTask(), "{script: 'print(1)', inputFormat: xml}"))
        .anyMatch(p -> p.contains("inputFormat"));
  }
}
