package dev.weir.server.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.weir.expr.Masker;
import dev.weir.server.ServerFixture;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirServer;
import dev.weir.server.triggers.LogCapture;
import dev.weir.store.LogLine;
import dev.weir.store.TaskRunRecord;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary secret read by tasks, echoed by a shell, sent to an HTTP API that echoes it back in its
 * error, thrown in an exception and printed to stderr, must appear nowhere: not in the stored logs,
 * the log files, the API's answers, the live stream, the metrics or the server's own log.
 */
class CanarySecretTest {
  static final String CANARY = "canary-7f3a9c1e-do-not-leak";
  static final String FILE_CANARY = "filecanary-5b2d-also-secret";

  @TempDir Path dir;
  ServerFixture fx;
  HttpServer api;
  LogCapture captured;

  @BeforeEach
  void start() throws Exception {
    // an API that refuses the key and says which key it refused
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext(
        "/",
        ex -> {
          byte[] body =
              ("{\"error\": \"unknown key " + ex.getRequestHeaders().getFirst("X-Api-Key") + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(403, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    api.start();
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("FILE_CANARY"), FILE_CANARY + "\n");
    captured = new LogCapture();
    fx = new ServerFixture(dir);
    fx.writeFlow(
        "leaky.yaml",
        """
        id: leaky
        namespace: sec
        inputs:
          - {id: key, type: string, default: "{{ secret('CANARY') }}"}
          - {id: note, type: string, default: none}
        tasks:
          - id: echo
            type: shell
            command: |
              echo "the key is {{ secret('CANARY') }}, the input is {{ inputs.key }}"
              echo "from the file: $(cat '%s/FILE_CANARY')"
          - id: call
            type: http.extract
            dependsOn: []
            url: "http://127.0.0.1:%d/orders?key={{ secret('CANARY') }}"
            headers: {X-Api-Key: "{{ secret('CANARY') }}"}
            maxRetries: 0
          - id: boom
            type: test.throw
            dependsOn: []
            message: "cannot log in with {{ secret('CANARY') }}"
          - id: stderr
            type: shell
            dependsOn: []
            command: |
              echo "denied for {{ secret('CANARY') }}" >&2
              exit 3
        onFailure:
          - id: alert
            type: log
            message: "{{ flow.id }} failed at {{ failedTask.id }}: {{ failedTask.error }}"
        """
            .formatted(secrets, api.getAddress().getPort()));
    // a schedule whose input cannot take the secret: the refusal names the bad value
    fx.writeFlow(
        "typed.yaml",
        """
        id: typed
        namespace: sec
        inputs:
          - {id: n, type: int}
        tasks:
          - {id: t, type: test.ok}
        triggers:
          - id: daily
            type: schedule
            cron: "0 0 * * *"
            catchup: latest
            start: 2026-01-01
            inputs: {n: "{{ secret('CANARY') }}"}
        """);
    ServerOptions o = fx.options();
    fx.server =
        WeirServer.start(
            o.withEnvironment(Map.of("WEIR_SECRET_CANARY", CANARY), secrets), token -> {});
  }

  @AfterEach
  void stop() {
    fx.close();
    api.stop(0);
    captured.close();
  }

  @Test
  void the_canary_appears_nowhere() throws Exception {
    var started = fx.post("/flows/sec/leaky/runs", "{\"inputs\": {\"note\": \"" + CANARY + "\"}}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String runId = started.json().path("runId").asText();
    JsonNode run = fx.awaitRun(runId);
    assertThat(run.path("state").asText()).isEqualTo("FAILED");

    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> captured.text().contains("schedule sec/typed/daily could not start a run"));
    var refused = fx.post("/flows/sec/typed/runs", "{\"inputs\": {\"n\": \"" + CANARY + "\"}}");
    assertThat(refused.status()).isEqualTo(400);

    var seen = new ArrayList<String>(); // every text a user or a tool could read
    seen.add(refused.body());
    seen.add(run.toString());
    seen.add(started.body());
    seen.add(fx.get("/runs?flow=sec/leaky").body());
    String logs = fx.get("/runs/" + runId + "/logs?limit=5000").body();
    seen.add(logs);
    seen.add(stream(runId));
    seen.add(fx.get("/flows/sec/leaky").body());
    seen.add(metrics());
    var store = fx.server.store();
    List<LogLine> lines = store.logs(runId, null);
    lines.forEach(l -> seen.add(l.message()));
    for (TaskRunRecord t : store.taskRuns(runId)) {
      seen.add(t.error() + " " + t.outputs());
    }
    var record = store.findRun(runId).orElseThrow();
    seen.add(record.error() + " " + record.inputs() + " " + record.triggerData());
    fx.server.logFiles().orElseThrow().flush();
    String files = files(fx.server.logFiles().orElseThrow().dir());
    seen.add(files);
    seen.add(captured.text());

    for (String text : seen) {
      assertThat(text).doesNotContain(CANARY).doesNotContain(FILE_CANARY);
    }
    // and the lines that held it are there, masked
    assertThat(lines)
        .extracting(LogLine::message)
        .contains(
            "the key is " + Masker.MASK + ", the input is " + Masker.MASK,
            "from the file: " + Masker.MASK)
        .anyMatch(m -> m.contains("IllegalStateException: cannot log in with " + Masker.MASK))
        .anyMatch(m -> m.contains("denied for " + Masker.MASK));
    assertThat(files).contains("the key is " + Masker.MASK).contains(runId);
    assertThat(logs).contains("from the file: " + Masker.MASK);
    assertThat(run.toString()).contains("cannot log in with " + Masker.MASK);
  }

  private String stream(String runId) {
    var r =
        fx.send(
            HttpRequest.newBuilder(fx.uri("/runs/" + runId + "/logs/stream"))
                .header("Authorization", "Bearer " + ServerFixture.TOKEN)
                .header("Accept", "text/event-stream")
                .GET());
    assertThat(r.body()).contains("event: end");
    return r.body();
  }

  private String metrics() {
    var r =
        fx.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.server.port() + "/metrics"))
                .header("Authorization", "Bearer " + ServerFixture.TOKEN)
                .GET());
    assertThat(r.body()).contains("weir_runs_total{flow=\"leaky\",namespace=\"sec\"");
    return r.body();
  }

  private static String files(Path root) throws Exception {
    var sb = new StringBuilder();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        sb.append(Files.readString(f));
      }
    }
    return sb.toString();
  }
}
