package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryDatasetsTest {
  @TempDir Path dir;

  @Test
  void retry_reuses_the_datasets_of_tasks_that_succeeded() throws Exception {
    Files.writeString(dir.resolve("orders.csv"), "id,amount\n1,10\n2,20\n3,30\n");
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow,
        """
        id: retry_data
        tasks:
          - id: orders
            type: file.read
            path: orders.csv
          - id: gate
            type: shell
            command: test -f open.marker || { echo "gate closed" >&2; exit 1; }
          - id: total
            type: sql.transform
            dependsOn: [orders, gate]
            sql: SELECT sum(amount) AS total, count(*) AS n FROM orders
          - id: out
            type: file.write
            dataset: total
            path: total.csv
        """);
    String home = dir.resolve("home").toString();
    Cli.Result first = Cli.run("run", flow.toString(), "--home", home, "--json");
    assertThat(first.exit()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(first.out());
    String runId = json.get("runId").asText();
    assertThat(json.get("error").asText()).contains("gate closed");

    // the source is gone and the gate is open: only the staged dataset can feed `total` now
    Files.delete(dir.resolve("orders.csv"));
    Files.writeString(dir.resolve("open.marker"), "");
    Cli.Result retried = Cli.run("retry", runId, "--home", home, "--json");
    assertThat(retried.exit()).as(retried.out() + retried.err()).isZero();
    JsonNode r = new ObjectMapper().readTree(retried.out());
    assertThat(r.get("runId").asText()).isEqualTo(runId);
    assertThat(r.get("attempt").asInt()).isEqualTo(2);
    assertThat(r.get("tasks").get(0).get("attempts").asInt()).isEqualTo(1); // orders not re-read
    assertThat(Files.readString(dir.resolve("total.csv"))).contains("60").contains("3");
  }
}
