package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `weir runs show` lists the quality check results of the run. */
class RunsShowChecksTest {
  @TempDir Path dir;

  @Test
  void show_prints_each_check_with_its_result_and_json_has_them_too() throws Exception {
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: checked
        tasks:
          - id: orders
            type: sql.transform
            sql: SELECT range AS id, CASE WHEN range = 3 THEN -1 ELSE range END AS amount FROM range(10)
          - id: check_orders
            type: quality.check
            dataset: orders
            checks:
              - rowCount: {min: 1}
              - range: {column: amount, min: 0}
                severity: warn
              - anomaly: {maxChangePercent: 50}
        """);
    String home = dir.resolve(".weir").toString();
    Cli.Result r = Cli.run("run", flow.toString(), "--home", home, "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    String runId = new ObjectMapper().readTree(r.out()).get("runId").asText();

    Cli.Result show = Cli.run("runs", "show", runId, "--home", home);
    assertThat(show.out())
        .contains("CHECKED BY            TRY RESULT CHECK")
        .contains(
            "check_orders            1 ok     rowCount(min=1)                           10 rows")
        .contains(
            "check_orders            1 WARN   range(amount, min=0)                      1 failing"
                + " row, e.g. {id=3, amount=-1}")
        .contains(
            "check_orders            1 ok     anomaly(rowCount, lookback=10, maxChang…  10 rows;"
                + " no successful runs to compare with");

    JsonNode json =
        new ObjectMapper().readTree(Cli.run("runs", "show", runId, "--home", home, "--json").out());
    assertThat(json.get("checks")).hasSize(3);
    JsonNode range = json.get("checks").get(1);
    assertThat(range.get("kind").asText()).isEqualTo("range");
    assertThat(range.get("passed").asBoolean()).isFalse();
    assertThat(range.get("severity").asText()).isEqualTo("warn");
    assertThat(range.get("failingRows").asLong()).isEqualTo(1);
    assertThat(json.get("checks").get(0).get("observed").asDouble()).isEqualTo(10.0);
  }
}
