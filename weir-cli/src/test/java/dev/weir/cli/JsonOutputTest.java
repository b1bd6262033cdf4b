package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} of the local commands that list or show something. */
class JsonOutputTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void runs_list_json_prints_every_run_with_fixed_keys() throws Exception {
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(flow, "id: tiny\nnamespace: team.a\ntasks:\n  - {id: a, type: noop}\n");
    String home = dir.resolve("home").toString();
    Cli.Result ran = Cli.run("run", flow.toString(), "--home", home, "--json");
    assertThat(ran.exit()).as(ran.err()).isZero();
    String runId = JSON.readTree(ran.out()).path("runId").asText();

    Cli.Result r = Cli.run("runs", "list", "--home", home, "--json");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).endsWith("}\n").hasLineCount(1);
    JsonNode runs = JSON.readTree(r.out()).path("runs");
    assertThat(runs).hasSize(1);
    JsonNode run = runs.get(0);
    assertThat(names(run))
        .containsExactly(
            "id",
            "namespace",
            "flow",
            "revision",
            "state",
            "trigger",
            "logicalDate",
            "attempt",
            "createdAt",
            "startedAt",
            "endedAt",
            "durationMs",
            "error");
    assertThat(run.path("id").asText()).isEqualTo(runId);
    assertThat(run.path("namespace").asText()).isEqualTo("team.a");
    assertThat(run.path("flow").asText()).isEqualTo("tiny");
    assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.path("trigger").asText()).isEqualTo("manual");
    assertThat(run.path("attempt").asInt()).isEqualTo(1);
    assertThat(run.path("durationMs").isIntegralNumber()).isTrue();
    assertThat(run.path("error").isNull()).isTrue();
  }

  @Test
  void runs_list_json_of_an_empty_home_is_an_empty_list_not_a_sentence() throws Exception {
    Path home = Files.createDirectories(dir.resolve("empty"));
    Cli.Result r = Cli.run("runs", "list", "--home", home.toString(), "--json");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo("{\"runs\":[]}\n");
  }

  @Test
  void validate_json_reports_each_file_and_its_problems_on_stdout() throws Exception {
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Path good = flows.resolve("a_good.yaml");
    Path bad = flows.resolve("b_bad.yaml");
    Files.writeString(good, "id: good\ntasks:\n  - {id: a, type: noop}\n");
    Files.writeString(bad, "id: bad\ntasks:\n  - id: a\n    type: nop\n");
    Cli.Result r = Cli.run("validate", flows.toString(), "--json");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).isEmpty();
    JsonNode report = JSON.readTree(r.out());
    assertThat(names(report))
        .containsExactly("files", "valid", "invalid", "warnings", "skippedPlugins");
    assertThat(report.path("skippedPlugins")).isEmpty();
    assertThat(report.path("valid").asInt()).isEqualTo(1);
    assertThat(report.path("invalid").asInt()).isEqualTo(1);
    assertThat(report.path("files").get(0).toString())
        .isEqualTo(
            "{\"file\":"
                + JSON.writeValueAsString(good.toString())
                + ",\"valid\":true,"
                + "\"problems\":[],\"warnings\":[]}");
    JsonNode b = report.path("files").get(1);
    assertThat(b.path("file").asText()).isEqualTo(bad.toString());
    assertThat(b.path("valid").asBoolean()).isFalse();
    JsonNode problem = b.path("problems").get(0);
    assertThat(names(problem)).containsExactly("file", "line", "column", "path", "message");
    assertThat(problem.path("file").asText()).isEqualTo(bad.toString());
    assertThat(problem.path("line").asInt()).isEqualTo(4);
    assertThat(problem.path("column").asInt()).isEqualTo(5);
    assertThat(problem.path("path").asText()).isEqualTo("tasks[0].type");
    assertThat(problem.path("message").asText())
        .startsWith("unknown task type 'nop'; closest: noop");
  }

  @Test
  void validate_json_of_good_files_exits_zero() throws Exception {
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "id: good\ntasks:\n  - {id: a, type: noop}\n");
    Cli.Result r = Cli.run("validate", "--json", good.toString());
    assertThat(r.exit()).isZero();
    assertThat(JSON.readTree(r.out()).path("invalid").asInt()).isZero();
  }

  static List<String> names(JsonNode o) {
    var names = new ArrayList<String>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
