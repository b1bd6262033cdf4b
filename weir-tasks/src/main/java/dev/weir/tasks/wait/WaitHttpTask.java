package dev.weir.tasks.wait;

import dev.weir.expr.Expressions;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.http.Redactor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A sensor that calls an HTTP endpoint until it answers with an expected status and, optionally, a
 * JSON body whose value at a pointer is as expected (a job's {@code /state} is {@code DONE}). An
 * unreachable server, a 5xx, 404, 408 or 429 answer means "not yet"; any other 4xx fails the task,
 * since asking again will not change it.
 */
public final class WaitHttpTask implements TaskType<WaitHttpTask.Config> {
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST");
  private static final Set<Integer> NOT_YET = Set.of(404, 408, 425, 429);
  // the JDK's client sets these itself and refuses them as request headers
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  /**
   * @param url the endpoint, http or https
   * @param method GET (default), HEAD or POST
   * @param headers request headers, e.g. an Authorization from a secret
   * @param body the request body of a POST
   * @param status the status (or statuses) that count as ready, default 200
   * @param jsonPointer a JSON Pointer into the body whose value is checked
   * @param equals the text the value at jsonPointer must have; without it, the value must be true
   * @param interval time between checks, default 30s
   * @param requestTimeout how long one request may take, default 30s
   */
  public record Config(
      @Required(example = "https://api.example.com/exports/2026-12-03") String url,
      String method,
      Map<String, String> headers,
      String body,
      List<Integer> status,
      String jsonPointer,
      String equals,
      Duration interval,
      Duration requestTimeout) {}

  @Override
  public String name() {
    return "wait.http";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    String url = config.url();
    if (url != null && !Expressions.isTemplate(url)) {
      String scheme = url.contains("://") ? url.substring(0, url.indexOf("://")) : "";
      if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
        problems.add(
            "url '"
                + Redactor.stripUserInfo(url)
                + "' is not an http(s) URL; write e.g. https://api.example.com/status");
      }
    }
    if (config.method() != null
        && !Expressions.isTemplate(config.method())
        && !METHODS.contains(config.method().toUpperCase(Locale.ROOT))) {
      problems.add("method '" + config.method() + "' is not one of GET, HEAD or POST");
    }
    if (config.headers() != null) {
      for (String h : config.headers().keySet()) {
        if (RESTRICTED.contains(h.toLowerCase(Locale.ROOT))) {
          problems.add("headers: " + h + " is set by the HTTP client itself; remove it");
        }
      }
    }
    if (config.body() != null && !"POST".equalsIgnoreCase(method(config))) {
      problems.add("body goes with `method: POST`");
    }
    if (config.status() != null) {
      for (Integer s : config.status()) {
        if (s == null || s < 100 || s > 599) {
          problems.add("status " + s + " is not an HTTP status (100 to 599)");
        }
      }
    }
    if (config.jsonPointer() != null && !Expressions.isTemplate(config.jsonPointer())) {
      String p = JsonCondition.problem(config.jsonPointer());
      if (p != null) {
        problems.add(p);
      }
    }
    if (config.equals() != null && config.jsonPointer() == null) {
      problems.add("equals compares the value at jsonPointer; add e.g. `jsonPointer: /state`");
    }
    Sensors.checkInterval(config.interval(), problems);
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    Duration interval = Sensors.interval(config.interval());
    var redactor = new Redactor(secretHeaderValues(config.headers()), null, context);
    URI uri;
    try {
      uri = URI.create(config.url());
    } catch (IllegalArgumentException e) {
      throw TaskFailedException.permanent(
          "wait.http: url '"
              + redactor.text(Redactor.stripUserInfo(config.url()))
              + "' is not a URL");
    }
    String shown = redactor.url(uri);
    HttpResponse<String> response;
    Duration timeout =
        config.requestTimeout() == null ? DEFAULT_REQUEST_TIMEOUT : config.requestTimeout();
    try (HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build()) {
      context.onCancel(client::shutdownNow);
      response = client.send(request(config, uri, timeout), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      if (context.isCancelled()) {
        throw new TaskFailedException("wait.http cancelled");
      }
      throw Sensors.unreachable(
          context,
          interval,
          name(),
          TaskFailedException.connection(
              "wait.http: " + shown + " could not be reached: " + redactor.text(reason(e)), e));
    }
    int status = response.statusCode();
    List<Integer> expected = config.status() == null ? List.of(200) : config.status();
    if (!expected.contains(status)) {
      if (status >= 400 && status < 500 && !NOT_YET.contains(status)) {
        throw TaskFailedException.permanent(
            "wait.http: "
                + shown
                + " answered HTTP "
                + status
                + ", not "
                + statuses(expected)
                + "; a "
                + status
                + " will not change by asking again: check the url, method and headers"
                + " (credentials), or add "
                + status
                + " to `status:` if it means ready");
      }
      throw Sensors.notYet(
          context,
          interval,
          "wait.http: "
              + shown
              + " answered HTTP "
              + status
              + ", waiting for "
              + statuses(expected));
    }
    var outputs = new LinkedHashMap<String, Object>();
    outputs.put("status", status);
    if (config.jsonPointer() != null) {
      var condition = new JsonCondition(config.jsonPointer(), config.equals());
      JsonCondition.Outcome outcome;
      try {
        outcome = condition.check(response.body());
      } catch (IOException e) {
        throw TaskFailedException.permanent(
            "wait.http: "
                + shown
                + " answered HTTP "
                + status
                + " ("
                + response.headers().firstValue("Content-Type").orElse("no Content-Type")
                + ") with a body that is not JSON, so jsonPointer "
                + config.jsonPointer()
                + " cannot be checked: "
                + redactor.text(start(response.body()))
                + "; check the url, or leave out jsonPointer to wait for the status alone");
      }
      if (outcome instanceof JsonCondition.NotMet(String why)) {
        throw Sensors.notYet(context, interval, "wait.http: " + shown + ": " + redactor.text(why));
      }
      outputs.put("value", ((JsonCondition.Met) outcome).value());
    }
    context.logger().info("wait.http: " + shown + " answered HTTP " + status + ": ready");
    return TaskResult.of(outputs);
  }

  private static HttpRequest request(Config config, URI uri, Duration timeout) {
    var builder = HttpRequest.newBuilder(uri).timeout(timeout);
    if (config.headers() != null) {
      config.headers().forEach(builder::header);
    }
    String method = method(config).toUpperCase(Locale.ROOT);
    HttpRequest.BodyPublisher body =
        config.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(config.body());
    return builder.method(method, body).build();
  }

  private static String method(Config config) {
    return config.method() == null ? "GET" : config.method();
  }

  /** Header values that are credentials, and the token after a scheme ({@code Bearer x}). */
  static List<String> secretHeaderValues(Map<String, String> headers) {
    var out = new ArrayList<String>();
    if (headers == null) {
      return out;
    }
    headers.forEach((name, value) -> {
      String n = name.toLowerCase(Locale.ROOT);
      if (value != null
          && (n.contains("auth")
              || n.contains("token")
              || n.contains("key")
              || n.contains("secret")
              || n.contains("cookie")
              || n.contains("password"))) {
        out.add(value);
        int space = value.indexOf(' ');
        if (space > 0) {
          out.add(value.substring(space + 1).strip());
        }
      }
    });
    return out;
  }

  private static String statuses(List<Integer> expected) {
    return expected.size() == 1
        ? "HTTP " + expected.getFirst()
        : "HTTP " + String.join(" or ", expected.stream().map(String::valueOf).toList());
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    if (m != null && !m.isBlank()) {
      return m;
    }
    return switch (e) {
      case java.net.http.HttpConnectTimeoutException t -> "the connection timed out";
      case java.net.http.HttpTimeoutException t -> "no answer within requestTimeout";
      case java.net.ConnectException c -> "connection refused";
      default -> e.getClass().getSimpleName();
    };
  }

  private static String start(String body) {
    String b = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return b.isEmpty() ? "(empty)" : b.length() > 200 ? b.substring(0, 197) + "..." : b;
  }
}
