package dev.weir.server.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.ServerFixture;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** Starts a {@link ServerFixture}'s server with secrets in its environment; reads runs. */
final class TriggerServer {
  private TriggerServer() {}

  static void start(ServerFixture fx, Map<String, String> environment) {
    ServerOptions o = fx.options();
    fx.server = WeirServer.start(o.withEnvironment(environment, o.secretsDir()), token -> {});
  }

  /** The runs of a flow ({@code ns/id}), oldest first. */
  static List<JsonNode> runs(ServerFixture fx, String flow) {
    var out = new ArrayList<JsonNode>();
    fx.get("/runs?flow=" + flow).json().path("runs").forEach(r -> out.add(0, r));
    return out;
  }

  /** Waits (bounded) for the flow to have {@code n} runs, then for each of them to end. */
  static List<JsonNode> awaitRuns(ServerFixture fx, String flow, int n) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> runs(fx, flow).size() >= n);
    var ended = new ArrayList<JsonNode>();
    runs(fx, flow).forEach(r -> ended.add(fx.awaitRun(r.path("id").asText())));
    return ended;
  }

  /** The outputs of a run's task. */
  static JsonNode outputs(JsonNode run, String task) {
    for (JsonNode t : run.path("tasks")) {
      if (t.path("id").asText().equals(task)) {
        return t.path("outputs");
      }
    }
    throw new AssertionError("run has no task " + task + ": " + run);
  }
}
