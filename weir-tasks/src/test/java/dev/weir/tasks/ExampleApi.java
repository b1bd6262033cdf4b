package dev.weir.tasks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The shop API the http.extract example reads: shipped orders, two per page, behind a cursor and a
 * bearer token.
 */
final class ExampleApi implements AutoCloseable {
  static final String TOKEN = "example-token";
  private static final List<String> PAGES =
      List.of(
          """
          {"data": [
            {"id": 1, "customer": {"id": 7}, "amount": 12.50, "ordered_at": "2024-03-01T09:30:00",
             "tags": ["gift"]},
            {"id": 2, "customer": {"id": 8}, "amount": 3.99, "ordered_at": "2024-03-01T10:02:00",
             "tags": []}
          ], "meta": {"next": "p2"}}
          """,
          """
          {"data": [
            {"id": 3, "customer": {"id": 7}, "amount": 40.00, "ordered_at": "2024-03-02T08:00:00",
             "tags": ["express", "gift"]},
            {"id": 4, "customer": {"id": 9}, "amount": 7.25, "ordered_at": "2024-03-02T11:45:00",
             "tags": []}
          ], "meta": {"next": "p3"}}
          """,
          """
          {"data": [
            {"id": 5, "customer": {"id": 8}, "amount": 19.00, "ordered_at": "2024-03-03T16:20:00",
             "tags": []}
          ], "meta": {"next": null}}
          """);

  private final HttpServer server;

  ExampleApi() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/api/orders", this::orders);
    server.createContext("/api/exports/", this::export);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void orders(HttpExchange exchange) throws IOException {
    try (exchange) {
      String query = String.valueOf(exchange.getRequestURI().getQuery());
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      int status;
      String body;
      if (!("Bearer " + TOKEN).equals(auth)) {
        status = 401;
        body = "{\"error\": \"unauthorized\"}";
      } else if (!query.startsWith("status=shipped")) {
        status = 400;
        body = "{\"error\": \"status filter missing\"}";
      } else {
        status = 200;
        body = PAGES.get(query.endsWith("after=p3") ? 2 : query.endsWith("after=p2") ? 1 : 0);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  /** An export's status, as wait.http's example polls it: ready for 2026-11-20, else not there. */
  private void export(HttpExchange exchange) throws IOException {
    try (exchange) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      boolean ready = exchange.getRequestURI().getPath().endsWith("/2026-11-20");
      int status = !("Bearer " + TOKEN).equals(auth) ? 401 : ready ? 200 : 404;
      byte[] bytes =
          (ready ? "{\"state\": \"ready\", \"rows\": 1204}" : "{\"error\": \"no export\"}")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
