package dev.weir.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** A real server on a free port of 127.0.0.1, with a flows directory and one API token. */
public final class ServerFixture implements AutoCloseable {
  public static final String TOKEN = "test-token-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();

  public final Path home;
  public final Path flowsDir;
  public WeirServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final InstantSource clock;

  public ServerFixture(Path dir) throws IOException {
    this(dir, null);
  }

  public ServerFixture(Path dir, InstantSource clock) throws IOException {
    this.home = dir.resolve("home");
    this.flowsDir = dir.resolve("flows");
    this.clock = clock;
    Files.createDirectories(flowsDir);
  }

  public ServerFixture start() {
    return start(options());
  }

  public ServerFixture start(ServerOptions options) {
    server = WeirServer.start(options, token -> {});
    return this;
  }

  public ServerOptions options() {
    return new ServerOptions(
        "127.0.0.1",
        0,
        home,
        null,
        flowsDir,
        List.of(TOKEN),
        Map.of(),
        clock,
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        Map.of(),
        null);
  }

  /** Stops the server as a crash would: nothing is closed, nothing finishes. */
  public void abandon() {
    server = null;
  }

  public Path writeFlow(String name, String yaml) throws IOException {
    Path f = flowsDir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, yaml);
    return f;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + "/api/v1" + path);
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).GET());
  }

  public Response post(String path, String body) {
    return post(path, body, "application/json");
  }

  public Response post(String path, String body, String contentType) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response send(HttpRequest.Builder request) {
    try {
      var r =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits (bounded) for the run to end and returns its JSON. */
  public JsonNode awaitRun(String runId) {
    JsonNode[] last = new JsonNode[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> {
          last[0] = get("/runs/" + runId).json();
          String s = last[0].path("state").asText();
          return s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("CANCELLED");
        });
    return last[0];
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }

  /** An HTTP answer. */
  public record Response(int status, String body, Map<String, List<String>> headers) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }
}
