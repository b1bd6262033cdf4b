package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.ServerFixture;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The steps tests' server: flow shop.models, whose task {@code m} ({@code test.steps}) records the
 * steps load_orders, load_customers, broken (failed) and after_broken, between two log tasks.
 */
final class StepsFlow {
  /** A run of the flow that succeeded: its id and its task runs, steps among them, by task id. */
  record Run(String id, Map<String, JsonNode> tasks) {}

  private StepsFlow() {}

  /** A started server in {@code dir} that knows the flow. */
  static ServerFixture serve(Path dir) throws Exception {
    ServerFixture server = new ServerFixture(dir).start();
    server.writeFlow(
        "models.yaml",
        """
        id: models
        namespace: shop
        tasks:
          - {id: extract, type: log, message: extracting}
          - {id: m, type: test.steps}
          - {id: publish, type: log, message: published}
        """);
    server.server.watcher().scan();
    return server;
  }

  /** Runs the flow on {@code server} until it succeeds. */
  static Run run(ServerFixture server) {
    String runId = server.post("/flows/shop/models/runs", "{}").json().path("runId").asText();
    assertThat(server.awaitRun(runId).path("state").asText()).isEqualTo("SUCCEEDED");
    var byId = new HashMap<String, JsonNode>();
    server
        .get("/runs/" + runId)
        .json()
        .path("tasks")
        .forEach(t -> byId.put(t.path("id").asText(), t));
    return new Run(runId, byId);
  }
}
