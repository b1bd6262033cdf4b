package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.server.api.Routes;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openapi.json cannot drift from the server: it describes exactly the endpoints the server
 * registers, every answer has a schema, and the fields real answers carry are the ones it declares.
 */
class OpenApiDocumentTest {
  @TempDir static Path dir;
  static ServerFixture server;
  static OpenAPI doc;
  static String runId;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = new ServerFixture(dir);
    server.writeFlow(
        "hello.yaml",
        """
        id: hello
        namespace: team
        inputs:
          - {id: who, type: string, default: world}
        triggers:
          - {id: nightly, type: schedule, cron: "0 3 * * *"}
        tasks:
          - {id: greet, type: log, message: "Hello {{ inputs.who }}"}
          - {id: after, type: noop, dependsOn: [greet]}
        """);
    server.start();
    var parsed =
        new OpenAPIV3Parser().readContents(get("/openapi.json").body(), null, new ParseOptions());
    assertThat(parsed.getMessages()).as("openapi.json parses without problems").isEmpty();
    doc = parsed.getOpenAPI();
    var started = ServerFixture.JSON.readTree(post("/flows/team/hello/runs", "{}").body());
    runId = started.get("runId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> json("/runs/" + runId).get("state").asText().equals("SUCCEEDED"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void documentsExactlyTheEndpointsTheServerRegisters() {
    Set<String> registered = new TreeSet<>();
    for (Routes.Endpoint e : server.server.apiEndpoints()) {
      registered.add(e.toString());
    }
    Set<String> documented = new TreeSet<>();
    doc.getPaths()
        .forEach((path, item) ->
            item.readOperationsMap().keySet().forEach(m -> documented.add(m + " " + path)));

    assertThat(registered).as("the server registers endpoints").hasSizeGreaterThan(30);
    assertThat(difference(registered, documented))
        .as("endpoints the server answers but openapi.json does not describe")
        .isEmpty();
    assertThat(difference(documented, registered))
        .as("endpoints openapi.json describes but the server does not answer")
        .isEmpty();
  }

  @Test
  void everyAnswerHasASchema() {
    List<String> missing = new ArrayList<>();
    doc.getPaths()
        .forEach((path, item) ->
            item.readOperationsMap()
                .forEach((method, op) ->
                    op.getResponses()
                        .forEach((status, answer) ->
                            check(method + " " + path + " " + status, status, answer, missing))));
    assertThat(missing).as("answers without a schema").isEmpty();
  }

  private static void check(String where, String status, ApiResponse answer, List<String> missing) {
    ApiResponse r = resolve(answer);
    if (status.equals("204")) {
      return;
    }
    if (r.getContent() == null || r.getContent().isEmpty()) {
      missing.add(where + ": no content");
      return;
    }
    r.getContent()
        .forEach((type, media) -> {
          if (media.getSchema() == null) {
            missing.add(where + " " + type + ": no schema");
          } else if (media.getSchema().get$ref() != null && schema(media.getSchema()) == null) {
            missing.add(where + " " + type + ": " + media.getSchema().get$ref() + " not found");
          }
        });
  }

  @Test
  void realAnswersCarryOnlyDeclaredFields() throws Exception {
    Map<String, String> answers =
        Map.of(
            "/health",
            "/api/v1/health",
            "/flows",
            "/api/v1/flows",
            "/flows/team/hello",
            "/api/v1/flows/{ns}/{id}",
            "/runs",
            "/api/v1/runs",
            "/runs/" + runId,
            "/api/v1/runs/{id}",
            "/runs/" + runId + "/logs",
            "/api/v1/runs/{id}/logs",
            "/runs/" + runId + "/graph",
            "/api/v1/runs/{id}/graph",
            "/runs/" + runId + "/waiting",
            "/api/v1/runs/{id}/waiting",
            "/backfills",
            "/api/v1/backfills",
            "/version",
            "/api/v1/version");
    List<String> undeclared = new ArrayList<>();
    for (var e : answers.entrySet()) {
      Operation op = doc.getPaths().get(e.getValue()).getGet();
      Schema<?> schema =
          resolve(op.getResponses().get("200")).getContent().get("application/json").getSchema();
      undeclaredFields(e.getKey(), json(e.getKey()), schema, undeclared);
    }
    assertThat(undeclared)
        .as("fields real answers carry that openapi.json does not declare")
        .isEmpty();
  }

  /** Adds the paths of fields in {@code value} that {@code schema} does not declare. */
  private static void undeclaredFields(
      String at, JsonNode value, Schema<?> schema, List<String> undeclared) {
    Schema<?> s = schema(schema);
    if (s == null || value == null || value.isNull()) {
      return;
    }
    if (value.isArray() && s.getItems() != null) {
      if (!value.isEmpty()) {
        undeclaredFields(at + "[0]", value.get(0), s.getItems(), undeclared);
      }
      return;
    }
    if (!value.isObject()) {
      return;
    }
    Map<String, Schema> properties = properties(s);
    if (properties.isEmpty()) {
      return; // a free-form object (outputs, inputs, a map by task id)
    }
    for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      Schema<?> p = properties.get(name);
      if (p == null) {
        undeclared.add(at + "." + name);
      } else {
        undeclaredFields(at + "." + name, value.get(name), p, undeclared);
      }
    }
  }

  /** The properties of an object schema, those of its {@code allOf} parts included. */
  @SuppressWarnings("rawtypes")
  private static Map<String, Schema> properties(Schema<?> s) {
    var all = new java.util.LinkedHashMap<String, Schema>();
    if (s.getAllOf() != null) {
      for (Schema<?> part : s.getAllOf()) {
        all.putAll(properties(schema(part)));
      }
    }
    if (s.getProperties() != null) {
      all.putAll(s.getProperties());
    }
    return all;
  }

  private static Schema<?> schema(Schema<?> s) {
    if (s == null || s.get$ref() == null) {
      return s;
    }
    String name = s.get$ref().substring(s.get$ref().lastIndexOf('/') + 1);
    return doc.getComponents().getSchemas().get(name);
  }

  private static ApiResponse resolve(ApiResponse r) {
    if (r.get$ref() == null) {
      return r;
    }
    String name = r.get$ref().substring(r.get$ref().lastIndexOf('/') + 1);
    return doc.getComponents().getResponses().get(name);
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    var d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static JsonNode json(String path) throws Exception {
    var r = get(path);
    assertThat(r.statusCode()).as("GET " + path).isEqualTo(200);
    return ServerFixture.JSON.readTree(r.body());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String path) {
    URI uri = server.uri(path);
    return HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + ServerFixture.TOKEN)
        .header("Content-Type", "application/json");
  }
}
