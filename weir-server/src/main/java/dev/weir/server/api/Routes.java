package dev.weir.server.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import java.util.function.Consumer;

/** Where a feature adds its endpoints; paths are relative to {@code /api/v1}. */
public final class Routes {
  private final RoutesConfig config;

  Routes(RoutesConfig config) {
    this.config = config;
  }

  public Routes get(String path, Handler h) {
    config.get(ApiServer.BASE + path, h);
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
    config.post(ApiServer.BASE + path, h);
    return this;
  }

  public Routes delete(String path, Handler h) {
    config.delete(ApiServer.BASE + path, h);
    return this;
  }

  public Routes sse(String path, Consumer<SseClient> client) {
    config.sse(ApiServer.BASE + path, client);
    return this;
  }
}
