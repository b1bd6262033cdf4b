package dev.weir.server.ui;

import dev.weir.server.ServerFixture;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser's HTTP side for tests without a browser: follows no redirects, keeps the UI's cookies,
 * signs in through the real form.
 */
final class UiSession {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern META = Pattern.compile("name=\"weir-csrf\" content=\"([^\"]+)\"");

  private final ServerFixture server;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  final Map<String, String> cookies = new java.util.LinkedHashMap<>();

  UiSession(ServerFixture server) {
    this.server = server;
  }

  record Page(int status, String body, Map<String, List<String>> headers) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> String.join("\n", e.getValue()))
          .findFirst()
          .orElse(null);
    }

    /** The page's CSRF token for scripts (the meta tag of a signed-in page). */
    String csrf() {
      Matcher m = META.matcher(body);
      if (!m.find()) {
        throw new AssertionError("no weir-csrf meta tag in " + body);
      }
      return m.group(1);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.server.port() + path);
  }

  Page get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Page postForm(String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Page postJson(String path, String csrf) {
    var b =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (csrf != null) {
      b.header(Sessions.CSRF_HEADER, csrf);
    }
    return send(b);
  }

  /** Signs in through the form with {@code token}; returns the answer to the form's post. */
  Page signIn(String token) {
    Page form = get("/sign-in");
    Matcher m = CSRF.matcher(form.body());
    if (!m.find()) {
      throw new AssertionError("no csrf field in the sign-in form: " + form.body());
    }
    return postForm("/sign-in", Map.of("csrf", m.group(1), "token", token, "next", "/runs"));
  }

  Page send(HttpRequest.Builder b) {
    if (!cookies.isEmpty()) {
      b.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    try {
      HttpResponse<String> r =
          http.send(
              b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      for (String c : r.headers().allValues("Set-Cookie")) {
        String pair = c.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq);
        String value = pair.substring(eq + 1);
        if (value.isEmpty() || c.contains("Max-Age=0")) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
      return new Page(r.statusCode(), r.body(), r.headers().map());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
