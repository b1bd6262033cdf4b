package dev.weir.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.OpenLineageSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineageEmitterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CANARY = "canary-7f3e9a1d-secret";
  private static final String TWO_TASKS =
      """
      id: orders
      namespace: shop
      tasks:
        - id: first
          type: test.ok
        - id: second
          type: test.ok
      """;

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private JdbcStateStore store; // the last engine's

  private EngineFixture engine(LineageTransport transport, int tries) {
    store = JdbcStateStore.h2(dir.resolve(".weir"));
    var emitter =
        new LineageEmitter(transport, store, s -> s.replace(CANARY, "******"), tries, ms(10));
    var fx = new EngineFixture(dir, store, Map.of("WEIR_SECRET_CANARY", CANARY), emitter);
    open.add(fx);
    open.add(emitter);
    emitters.add(emitter);
    return fx;
  }

  private final List<LineageEmitter> emitters = new ArrayList<>();

  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  /** The events of a file, each checked against the OpenLineage spec. */
  private static List<JsonNode> lines(Path file) throws IOException {
    var out = new ArrayList<JsonNode>();
    for (String l : Files.readAllLines(file)) {
      JsonNode e = JSON.readTree(l);
      assertThat(OpenLineageSpec.problems(e)).as(l).isEmpty();
      out.add(e);
    }
    return out;
  }

  private static List<String> kinds(List<JsonNode> events) {
    return events.stream()
        .map(e -> e.path("job").path("name").asText() + " " + e.path("eventType").asText())
        .toList();
  }

  @Test
  void a_file_gets_a_start_and_a_complete_for_the_run_and_each_task_with_the_run_as_parent()
      throws Exception {
    Path file = dir.resolve("lineage/events.jsonl");
    EngineFixture fx = engine(new FileTransport(file), 3);
    RunRecord run = fx.run(TWO_TASKS);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);

    await().atMost(Duration.ofSeconds(10)).until(() -> emitters.get(0).sent() == 6);
    List<JsonNode> events = lines(file);
    assertThat(kinds(events))
        .containsExactly(
            "orders START",
            "orders.first START",
            "orders.first COMPLETE",
            "orders.second START",
            "orders.second COMPLETE",
            "orders COMPLETE");
    String flowRunId = LineageEvents.runUuid(run.id()).toString();
    for (JsonNode flowEvent : List.of(events.get(0), events.get(5))) {
      assertThat(flowEvent.at("/run/runId").asText()).isEqualTo(flowRunId);
      assertThat(flowEvent.at("/job/namespace").asText()).isEqualTo("shop");
      assertThat(flowEvent.at("/job/facets/jobType/jobType").asText()).isEqualTo("DAG");
      assertThat(flowEvent.at("/run/facets/parent").isMissingNode()).isTrue();
    }
    assertThat(events.get(0).path("eventTime").asText()).isEqualTo(run.startedAt().toString());
    assertThat(events.get(5).path("eventTime").asText()).isEqualTo(run.endedAt().toString());
    JsonNode complete = events.get(2);
    assertThat(complete.path("job").path("namespace").asText()).isEqualTo("shop");
    assertThat(complete.path("producer").asText()).isEqualTo(LineageEvents.PRODUCER);
    assertThat(complete.path("schemaURL").asText()).contains("OpenLineage.json");
    String attemptId = complete.path("run").path("runId").asText();
    assertThat(UUID.fromString(attemptId)).isEqualTo(LineageEvents.attemptId(run.id(), "first", 1));
    assertThat(events.get(1).path("run").path("runId").asText()).isEqualTo(attemptId);
    JsonNode parent = complete.path("run").path("facets").path("parent");
    assertThat(parent.path("run").path("runId").asText())
        .isEqualTo(LineageEvents.runUuid(run.id()).toString());
    assertThat(parent.path("job").path("name").asText()).isEqualTo("orders");
    assertThat(parent.path("_producer").asText()).isEqualTo(LineageEvents.PRODUCER);
  }

  @Test
  void a_failing_task_sends_start_and_fail_with_its_error_masked() throws Exception {
    Path file = dir.resolve("events.jsonl");
    EngineFixture fx = engine(new FileTransport(file), 3);
    RunRecord run =
        fx.run(
            """
            id: orders
            retry: {attempts: 1}
            tasks:
              - id: load
                type: test.fail
                message: "cannot log in with {{ secret('CANARY') }}"
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);

    await().atMost(Duration.ofSeconds(10)).until(() -> emitters.get(0).sent() == 4);
    List<JsonNode> events = lines(file);
    assertThat(kinds(events))
        .containsExactly("orders START", "orders.load START", "orders.load FAIL", "orders FAIL");
    JsonNode error = events.get(2).path("run").path("facets").path("errorMessage");
    assertThat(error.path("message").asText()).isEqualTo("cannot log in with ******");
    assertThat(error.path("programmingLanguage").asText()).isEqualTo("JAVA");
    JsonNode runError = events.get(3).at("/run/facets/errorMessage");
    assertThat(runError.path("message").asText()).isNotBlank().doesNotContain(CANARY);
    assertThat(runError.path("_schemaURL").asText()).contains("ErrorMessageRunFacet.json");
    assertThat(Files.readString(file)).doesNotContain(CANARY);
  }

  @Test
  void http_events_are_retried_until_the_server_takes_them_and_the_run_does_not_wait()
      throws Exception {
    var bodies = new CopyOnWriteArrayList<String>();
    var auth = new CopyOnWriteArrayList<String>();
    var calls = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/lineage",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          auth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          int status = calls.incrementAndGet() <= 2 ? 503 : 201;
          if (status == 201) {
            bodies.add(body);
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    open.add(() -> server.stop(0));
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    EngineFixture fx = engine(new HttpTransport(url, "lineage-key"), 5);

    RunRecord run = fx.run(TWO_TASKS);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);

    await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 6);
    assertThat(calls.get()).isEqualTo(8);
    assertThat(auth).containsOnly("Bearer lineage-key");
    var events = new ArrayList<JsonNode>();
    for (String b : bodies) {
      events.add(JSON.readTree(b));
    }
    assertThat(kinds(events))
        .containsExactly(
            "orders START",
            "orders.first START",
            "orders.first COMPLETE",
            "orders.second START",
            "orders.second COMPLETE",
            "orders COMPLETE");
    assertThat(emitters.get(0).dropped()).isZero();
  }

  @Test
  void a_lineage_server_that_is_down_drops_events_and_never_fails_the_run() throws Exception {
    int port;
    try (var s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + port);
    EngineFixture fx = engine(new HttpTransport(nowhere, null), 2);

    RunRecord run = fx.run(TWO_TASKS);

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    await().atMost(Duration.ofSeconds(10)).until(() -> emitters.get(0).dropped() == 6);
    assertThat(emitters.get(0).sent()).isZero();
  }

  @Test
  void a_run_stored_running_again_starts_once_and_a_run_that_never_started_sends_nothing()
      throws Exception {
    Path file = dir.resolve("takeover.jsonl");
    var emitter = new LineageEmitter(new FileTransport(file), null, s -> s, 1, ms(10));
    open.add(emitter);
    var now = java.time.Instant.parse("2026-11-21T10:00:00Z");
    var queued =
        new RunRecord(
            "r1",
            "shop",
            "orders",
            "rev",
            "/f.yaml",
            RunState.QUEUED,
            "{}",
            null,
            "manual",
            1,
            now,
            null,
            null,
            null,
            null);
    emitter.runChanged(queued);
    var running = queued.withOwner(RunState.RUNNING, now.plusSeconds(1), "host-a:1");
    emitter.runChanged(running);
    emitter.runChanged(running.withOwner(RunState.RUNNING, now.plusSeconds(1), "host-b:2"));
    emitter.runChanged(running.ended(RunState.SUCCEEDED, now.plusSeconds(2), null));
    var never =
        new RunRecord(
            "r2",
            "shop",
            "orders",
            "rev",
            "/f.yaml",
            RunState.QUEUED,
            "{}",
            null,
            "manual",
            1,
            now,
            null,
            null,
            null,
            null);
    emitter.runChanged(never.ended(RunState.CANCELLED, now.plusSeconds(3), "cancelled"));
    await().atMost(Duration.ofSeconds(10)).until(() -> emitter.sent() == 2);
    emitter.close();

    List<JsonNode> events = lines(file);
    assertThat(kinds(events)).containsExactly("orders START", "orders COMPLETE");
    assertThat(events.get(0).path("eventTime").asText()).isEqualTo("2026-11-21T10:00:01Z");
    assertThat(events.get(1).path("eventTime").asText()).isEqualTo("2026-11-21T10:00:02Z");
    assertThat(events.get(1).at("/run/runId").asText())
        .isEqualTo(LineageEvents.runUuid("r1").toString());
  }

  @Test
  void a_secret_learned_during_a_run_is_masked_in_the_run_s_later_events() throws Exception {
    Path file = dir.resolve("late.jsonl");
    EngineFixture fx = engine(new FileTransport(dir.resolve("first.jsonl")), 3);
    RunRecord run = fx.run(TWO_TASKS);
    // a second emitter over the same store, whose masker learns a secret between two events
    var secrets = new java.util.concurrent.CopyOnWriteArrayList<String>();
    var late =
        new LineageEmitter(
            new FileTransport(file),
            store,
            v -> {
              String out = v;
              for (String secret : secrets) {
                out = out.replace(secret, "******");
              }
              return out;
            },
            1,
            ms(10));
    open.add(late);
    var now = java.time.Instant.now();
    var running =
        dev.weir.store.TaskRunRecord.pending(run.id(), "first", 1, 1).queued(now).running(now);
    late.taskChanged(null, running);
    await().atMost(Duration.ofSeconds(10)).until(() -> late.sent() == 1);
    secrets.add("orders"); // the flow's id, say, turned out to be a secret's value
    late.taskChanged(
        null,
        running.ended(dev.weir.store.TaskState.SUCCEEDED, now.plusMillis(5), null, null, null, -1));
    await().atMost(Duration.ofSeconds(10)).until(() -> late.sent() == 2);

    List<JsonNode> events = lines(file);
    assertThat(kinds(events)).containsExactly("orders.first START", "******.first COMPLETE");
    assertThat(events.get(1).at("/run/facets/parent/job/name").asText()).isEqualTo("******");
    assertThat(events.get(0).at("/run/facets/parent/job/name").asText()).isEqualTo("orders");
  }
}
