package dev.weir.server.ui;

import io.javalin.Javalin;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny real site for the harness's own tests: one page whose ES-module script changes the DOM,
 * POSTs with {@code fetch} on a click, and, asked by the query string, listens to an SSE stream
 * ({@code ?sse}), offers a download, logs a console error ({@code ?noisy}) or fetches a missing
 * path ({@code ?missing}).
 */
final class HarnessSite implements AutoCloseable {
  static final String PAGE =
      """
      <!doctype html>
      <html lang="en">
      <head>
        <meta charset="utf-8">
        <title>Harness</title>
        <style>
          :root { color-scheme: light dark; }
          body { font-family: sans-serif; margin: 2rem; background: #fafafa; color: #111; }
          @media (prefers-color-scheme: dark) { body { background: #16181d; color: #e8e8e8; } }
        </style>
        <script type="module" src="/app.js"></script>
      </head>
      <body>
        <h1 id="status">loading</h1>
        <button id="go" type="button">Count a click</button>
        <p id="clicks">no clicks</p>
        <p id="event"></p>
        <a id="download" href="/download" download>Download</a>
      </body>
      </html>
      """;

  static final String SCRIPT =
      """
      const query = new URLSearchParams(location.search);
      document.getElementById('status').textContent = 'ready';
      document.getElementById('go').addEventListener('click', async () => {
        const answer = await fetch('/clicks', {method: 'POST'});
        const body = await answer.json();
        document.getElementById('clicks').textContent = 'clicks: ' + body.clicks;
      });
      if (query.has('sse')) {
        new EventSource('/events').addEventListener('greeting', (e) => {
          document.getElementById('event').textContent = e.data;
        });
      }
      if (query.has('noisy')) {
        console.error('something broke in the page');
      }
      if (query.has('missing')) {
        fetch('/no-such-thing');
      }
      """;

  private final Javalin app;
  private final AtomicInteger clicks = new AtomicInteger();

  /**
   * @param sseMessage the data of the one {@code greeting} event {@code /events} sends, also the
   *     content of {@code /download}
   */
  HarnessSite(String sseMessage) {
    this.app =
        Javalin.create(config -> {
          config.startup.showJavalinBanner = false;
          config.routes.get("/", ctx -> ctx.html(PAGE));
          config.routes.get("/app.js", ctx -> ctx.contentType("text/javascript").result(SCRIPT));
          // Chromium asks for it on its own, sometimes after a test's checks: never a 404
          config.routes.get("/favicon.ico", ctx -> ctx.status(204));
          config.routes.post(
              "/clicks", ctx -> ctx.json(Map.of("clicks", clicks.incrementAndGet())));
          config.routes.get(
              "/download",
              ctx ->
                  ctx.header("Content-Disposition", "attachment; filename=\"run.log\"")
                      .contentType("text/plain")
                      .result(sseMessage));
          config.routes.sse(
              "/events",
              client -> {
                client.keepAlive();
                client.sendEvent("greeting", sseMessage);
              });
        });
    app.start("127.0.0.1", 0);
  }

  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + app.port() + pathAndQuery;
  }

  int clicks() {
    return clicks.get();
  }

  @Override
  public void close() {
    app.stop();
  }
}
