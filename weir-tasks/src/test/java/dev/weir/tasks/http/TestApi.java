package dev.weir.tasks.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A real HTTP server on 127.0.0.1 for the tests, recording every request it is sent. */
final class TestApi implements AutoCloseable {
  /** A request as the server saw it. */
  record Seen(String method, URI uri, Map<String, String> headers, String body, long nanos) {
    /** A query parameter's decoded value, or null. */
    String param(String name) {
      return params().get(name);
    }

    Map<String, String> params() {
      var m = new LinkedHashMap<String, String>();
      String q = uri.getRawQuery();
      if (q != null) {
        for (String pair : q.split("&")) {
          int eq = pair.indexOf('=');
          m.put(
              URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      return m;
    }

    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** What the server answers. */
  record Reply(int status, Map<String, String> headers, String body) {
    static Reply json(String body) {
      return new Reply(200, Map.of("Content-Type", "application/json"), body);
    }

    static Reply status(int status, String body) {
      return new Reply(status, Map.of(), body);
    }

    Reply with(String header, String value) {
      var h = new LinkedHashMap<>(headers);
      h.put(header, value);
      return new Reply(status, h, body);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  TestApi() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.start();
  }

  /** Answers requests under {@code path} with {@code handler}. */
  TestApi on(String path, Function<Seen, Reply> handler) {
    server.createContext(path, exchange -> answer(exchange, handler));
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Requests received so far, in order. */
  List<Seen> seen() {
    return List.copyOf(seen);
  }

  List<Seen> seen(String path) {
    return seen.stream().filter(s -> s.uri().getPath().equals(path)).toList();
  }

  private void answer(HttpExchange exchange, Function<Seen, Reply> handler) throws IOException {
    try (exchange) {
      var headers = new LinkedHashMap<String, String>();
      exchange
          .getRequestHeaders()
          .forEach(
              (k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      var request =
          new Seen(
              exchange.getRequestMethod(),
              exchange.getRequestURI(),
              headers,
              body,
              System.nanoTime());
      seen.add(request);
      Reply reply = handler.apply(request);
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] bytes =
          reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
