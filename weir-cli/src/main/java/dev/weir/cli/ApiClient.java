package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.WeirException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to a Weir server's REST API for the client commands (deploy, flows, backfill). */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ApiClient(String server, String token) {
    String s = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
    this.base = s.endsWith("/api/v1") ? s : s + "/api/v1";
    this.token = token != null ? token : System.getenv("WEIR_API_TOKEN");
    if (this.token == null || this.token.isBlank()) {
      throw new WeirException(
          "no API token: pass --token or set WEIR_API_TOKEN (the server printed one at its first"
              + " start, or use one of its configured tokens)");
    }
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
  }

  JsonNode post(String path, String body, String contentType) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        path);
  }

  String getText(String path) {
    return raw(HttpRequest.newBuilder(URI.create(base + path)).GET(), path).body();
  }

  private JsonNode send(HttpRequest.Builder b, String path) {
    HttpResponse<String> r = raw(b, path);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new WeirException(
          "the server answered " + path + " with something not JSON: " + r.body());
    }
  }

  private HttpResponse<String> raw(HttpRequest.Builder b, String path) {
    HttpResponse<String> r;
    try {
      r =
          http.send(
              b.header("Authorization", "Bearer " + token)
                  .header("X-Weir-Author", System.getProperty("user.name", "cli"))
                  .timeout(Duration.ofSeconds(60))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new WeirException("no Weir server answers at " + base + "; is `weir server` running?");
    } catch (IOException e) {
      throw new WeirException("request to " + base + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeirException("interrupted");
    }
    if (r.statusCode() >= 400) {
      String message = r.body();
      try {
        JsonNode err = JSON.readTree(r.body()).path("error");
        message = err.path("message").asText(message);
      } catch (IOException ignored) {
        // not the API's error shape; show the body as it is
      }
      throw new WeirException("server answered " + r.statusCode() + ": " + message);
    }
    return r;
  }
}
