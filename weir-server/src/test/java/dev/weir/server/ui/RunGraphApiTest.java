package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.server.ServerFixture;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph a run page draws and the live stream that patches it, through the REST API. */
class RunGraphApiTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  ServerFixture server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void a_runs_graph_has_every_task_laid_out_left_to_right_along_its_dependencies()
      throws Exception {
    server = new ServerFixture(dir).start();
    server.writeFlow("diamond.yaml", DIAMOND);
    server.server.watcher().scan();
    String runId = server.post("/flows/ui/diamond/runs", "{}").json().get("runId").asText();
    server.awaitRun(runId);

    JsonNode g = server.get("/runs/" + runId + "/graph").json();
    Map<String, JsonNode> nodes = new HashMap<>();
    g.get("nodes").forEach(n -> nodes.put(n.get("id").asText(), n));
    assertThat(nodes).containsOnlyKeys("extract", "left", "right", "load");
    assertThat(nodes.get("extract").get("type").asText()).isEqualTo("noop");
    assertThat(nodes.get("left").get("x").asLong())
        .isGreaterThan(nodes.get("extract").get("x").asLong());
    assertThat(nodes.get("load").get("x").asLong())
        .isGreaterThan(nodes.get("right").get("x").asLong());
    assertThat(g.get("edges")).hasSize(4);
    assertThat(g.get("width").asDouble()).isPositive();
    // the flow's current revision has the same graph
    assertThat(server.get("/flows/ui/diamond/graph").json().get("nodes")).hasSize(4);
    assertThat(server.get("/runs/nope/graph").status()).isEqualTo(404);
  }

  @Test
  void the_events_stream_starts_with_a_snapshot_and_then_sends_each_change() throws Exception {
    server = new ServerFixture(dir).start();
    server.writeFlow("gate.yaml", GATE);
    server.server.watcher().scan();
    Path gate = dir.resolve("open");
    String runId =
        server
            .post("/flows/ui/gate/runs", "{\"inputs\": {\"gate\": \"" + gate + "\"}}")
            .json()
            .get("runId")
            .asText();

    var request =
        HttpRequest.newBuilder(server.uri("/runs/" + runId + "/events"))
            .header("Authorization", "Bearer " + ServerFixture.TOKEN)
            .header("Accept", "text/event-stream") // as EventSource sends; Javalin needs it
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build();
    HttpResponse<InputStream> r =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    var events = new ArrayList<String[]>();
    try (var in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String first = nextEvent(in, events);
      assertThat(first).isEqualTo("snapshot");
      java.nio.file.Files.writeString(gate, "go"); // lets the task finish
      String kind;
      do {
        kind = nextEvent(in, events);
      } while (!kind.equals("run") || !events.get(events.size() - 1)[1].contains("SUCCEEDED"));
    }
    List<String> kinds = events.stream().map(e -> e[0]).toList();
    assertThat(kinds).first().isEqualTo("snapshot");
    List<String> taskStates =
        events.stream()
            .filter(e -> e[0].equals("task"))
            .map(e -> read(e[1]))
            .filter(t -> t.get("id").asText().equals("after"))
            .map(t -> t.get("state").asText())
            .toList();
    assertThat(taskStates).contains("SUCCEEDED");
  }

  /** Reads the next SSE event (bounded by the request timeout); returns its name. */
  private static String nextEvent(BufferedReader in, List<String[]> into) throws Exception {
    String name = null;
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      String line = in.readLine();
      if (line == null) {
        throw new AssertionError("the stream ended; events so far: " + into.size());
      }
      if (line.startsWith("event:")) {
        name = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).strip());
      } else if (line.isEmpty() && name != null) {
        into.add(new String[] {name, data.toString()});
        return name;
      }
    }
    throw new AssertionError("no event in 10,000 lines");
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static final String DIAMOND =
      """
      id: diamond
      namespace: ui
      tasks:
        - {id: extract, type: noop}
        - {id: left, type: noop, dependsOn: [extract]}
        - {id: right, type: noop, dependsOn: [extract]}
        - {id: load, type: noop, dependsOn: [left, right]}
      """;

  static final String GATE =
      """
      id: gate
      namespace: ui
      inputs:
        - {id: gate, type: string}
      tasks:
        - id: wait
          type: shell
          env:
            GATE: "{{ inputs.gate }}"
          command: |
            for i in $(seq 1 300); do [ -f "$GATE" ] && exit 0; sleep 0.1; done; exit 1
        - {id: after, type: noop, dependsOn: [wait]}
      """;
}
