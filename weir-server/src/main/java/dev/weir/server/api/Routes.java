package dev.weir.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Where a feature adds its endpoints; paths are relative to {@code /api/v1}. */
public final class Routes {
  /** An endpoint of the API as registered: {@code GET /api/v1/runs/{id}}. */
  public record Endpoint(String method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private final RoutesConfig config;
  private final List<Endpoint> endpoints = new ArrayList<>();

  Routes(RoutesConfig config) {
    this.config = config;
  }

  /** The endpoints under {@code /api/v1} added so far, in order (what openapi.json describes). */
  List<Endpoint> endpoints() {
    return List.copyOf(endpoints);
  }

  private String api(String method, String path) {
    endpoints.add(new Endpoint(method, ApiServer.BASE + path));
    return ApiServer.BASE + path;
  }

  public Routes get(String path, Handler h) {
    config.get(api("GET", path), h);
    return this;
  }

  /** A path outside {@code /api/v1} (e.g. {@code /metrics}); it checks its own access. */
  public Routes getOutsideApi(String path, Handler h) {
    config.get(path, h);
    return this;
  }

  /**
   * A form post outside {@code /api/v1} (the UI's sign-in and sign-out); it checks its own access.
   */
  public Routes postOutsideApi(String path, Handler h) {
    config.post(path, h);
    return this;
  }

  public Routes post(String path, Handler h) {
    config.post(api("POST", path), h);
    return this;
  }

  public Routes delete(String path, Handler h) {
    config.delete(api("DELETE", path), h);
    return this;
  }

  public Routes sse(String path, Consumer<SseClient> client) {
    config.sse(api("GET", path), client);
    return this;
  }
}
