package dev.weir.tasks.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.weir.task.Reschedule;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.TestContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** wait.http against a real JDK HTTP server on a free port of 127.0.0.1. */
class WaitHttpTaskTest {
  private static final String TOKEN = "tok-9f8e7d6c5b";

  @TempDir Path dir;

  private HttpServer server;
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final WaitHttpTask task = new WaitHttpTask();
  private TestContext ctx;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          byte[] body = bodies.getOrDefault(path, "").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(
              statuses.getOrDefault(path, 404), body.length == 0 ? -1 : body.length);
          if (body.length > 0) {
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
    ctx = new TestContext(dir);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void waits_while_404_then_succeeds_on_200() throws Exception {
    String yaml = "url: " + url("/exports/2026-12-03") + "\ninterval: 2m";
    assertThatThrownBy(() -> ctx.run("w", task, yaml))
        .isInstanceOfSatisfying(
            Reschedule.class, r -> assertThat(r.recheckIn()).isEqualTo(Duration.ofMinutes(2)))
        .hasMessage(
            "wait.http: "
                + url("/exports/2026-12-03")
                + " answered HTTP 404, waiting for HTTP 200");
    statuses.put("/exports/2026-12-03", 200);
    assertThat(ctx.run("w", task, yaml).outputs()).containsEntry("status", 200);
  }

  @Test
  void a_json_value_at_a_pointer() throws Exception {
    statuses.put("/job", 200);
    bodies.put("/job", "{\"job\": {\"state\": \"RUNNING\"}}");
    String yaml = "url: " + url("/job") + "\njsonPointer: /job/state\nequals: DONE";
    assertThatThrownBy(() -> ctx.run("w", task, yaml))
        .isInstanceOf(Reschedule.class)
        .hasMessageEndingWith(": /job/state is \"RUNNING\", waiting for 'DONE'");
    bodies.put("/job", "{\"job\": {\"state\": \"DONE\"}}");
    assertThat(ctx.run("w", task, yaml).outputs()).containsEntry("value", "DONE");

    bodies.put("/job", "{\"ready\": false}");
    assertThatThrownBy(() -> ctx.run("w", task, "url: " + url("/job") + "\njsonPointer: /ready"))
        .isInstanceOf(Reschedule.class)
        .hasMessageEndingWith("/ready is false, not true");
    assertThatThrownBy(() -> ctx.run("w", task, "url: " + url("/job") + "\njsonPointer: /count"))
        .isInstanceOf(Reschedule.class)
        .hasMessageEndingWith("the body has no /count yet");
    bodies.put("/job", "{\"ready\": true, \"count\": 3}");
    assertThat(ctx.run("w", task, "url: " + url("/job") + "\njsonPointer: /count").outputs())
        .containsEntry("value", 3);
  }

  @Test
  void a_5xx_is_not_yet_a_403_fails_at_once() throws Exception {
    statuses.put("/s", 503);
    assertThatThrownBy(() -> ctx.run("w", task, "url: " + url("/s")))
        .isInstanceOf(Reschedule.class);
    statuses.put("/s", 403);
    assertThatThrownBy(() -> ctx.run("w", task, "url: " + url("/s")))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("answered HTTP 403, not HTTP 200");
    // unless 403 is what ready means
    assertThat(ctx.run("w", task, "url: " + url("/s") + "\nstatus: [200, 403]").outputs())
        .containsEntry("status", 403);
  }

  @Test
  void an_unreachable_server_is_not_yet_with_a_warning() throws Exception {
    server.stop(0);
    assertThatThrownBy(() -> ctx.run("w", task, "url: " + url("/x") + "\ninterval: 5s"))
        .isInstanceOfSatisfying(
            Reschedule.class, r -> assertThat(r.recheckIn()).isEqualTo(Duration.ofSeconds(5)));
    assertThat(ctx.log())
        .singleElement()
        .asString()
        .isEqualTo("WARN wait.http: " + url("/x") + " could not be reached: connection refused");
  }

  @Test
  void a_body_that_is_not_json_fails_clearly() {
    statuses.put("/html", 200);
    bodies.put("/html", "<html><body>Status page</body></html>");
    assertThatThrownBy(() -> ctx.run("w", task, "url: " + url("/html") + "\njsonPointer: /state"))
        .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining(
            "with a body that is not JSON, so jsonPointer /state cannot be checked")
        .hasMessageContaining("<html><body>Status page");
  }

  @Test
  void secrets_in_the_url_and_headers_stay_out_of_messages_and_logs() throws Exception {
    statuses.put("/p", 401);
    String yaml =
        "url: "
            + url("/p?api_key=" + TOKEN + "&day=1")
            + "\nheaders: {Authorization: Bearer "
            + TOKEN
            + "}";
    assertThatThrownBy(() -> ctx.run("w", task, yaml))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("/p?api_key=******&day=1")
        .hasMessageNotContaining(TOKEN);
    assertThat(authorizations).contains("Bearer " + TOKEN);
    statuses.put("/p", 500);
    assertThatThrownBy(() -> ctx.run("w", task, yaml)).isInstanceOf(Reschedule.class);
    statuses.put("/p", 200);
    bodies.put("/p", "{\"echo\": \"" + TOKEN + "\"}");
    assertThatThrownBy(() -> ctx.run("w", task, yaml + "\njsonPointer: /echo\nequals: x"))
        .isInstanceOf(Reschedule.class)
        .hasMessageNotContaining(TOKEN);
    assertThat(ctx.log()).noneMatch(l -> l.contains(TOKEN));
  }

  @Test
  void validation() {
    assertThat(TestContext.problems(task, "url: ftp://x/y"))
        .singleElement()
        .asString()
        .contains("is not an http(s) URL");
    assertThat(TestContext.problems(task, "url: http://x\nequals: DONE"))
        .containsExactly(
            "equals compares the value at jsonPointer; add e.g. `jsonPointer: /state`");
    assertThat(TestContext.problems(task, "url: http://x\njsonPointer: state"))
        .singleElement()
        .asString()
        .contains("is not a JSON Pointer");
    assertThat(TestContext.problems(task, "url: http://x\nstatus: 99")).hasSize(1);
    assertThat(TestContext.problems(task, "url: http://x\nheaders: {Host: y}"))
        .containsExactly("headers: Host is set by the HTTP client itself; remove it");
  }
}
