package dev.weir.server.api;

import dev.weir.expr.Masker;
import dev.weir.server.runs.RunLauncher;
import dev.weir.store.LogSearch;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.function.Consumer;

/**
 * A run's log as a download ({@code GET /runs/{id}/logs.txt}, streamed a page at a time, masked)
 * and followed live from a line on ({@code GET /runs/{id}/logs/follow?after=ID}, server-sent events
 * {@code log} with each new line and its id, then {@code end}); both of one task ({@code ?task=})
 * and one of its attempts ({@code ?attempt=}) when asked.
 */
public final class LogRoutes implements Consumer<Routes> {
  static final int PAGE = LogSearch.MAX_LIMIT;

  private final StateStore store;
  private final LogSearch logs;
  private final RunLauncher launcher;
  private final Masker masker;

  public LogRoutes(StateStore store, LogSearch logs, RunLauncher launcher, Masker masker) {
    this.store = store;
    this.logs = logs;
    this.launcher = launcher;
    this.masker = masker;
  }

  @Override
  public void accept(Routes r) {
    r.get("/runs/{id}/logs.txt", this::download).sse("/runs/{id}/logs/follow", this::follow);
  }

  private void download(Context ctx) {
    RunRecord run = RunRoutes.find(store, ctx.pathParam("id"));
    ctx.contentType("text/plain; charset=utf-8");
    ctx.header("Content-Disposition", "attachment; filename=\"weir-" + run.id() + ".log\"");
    ctx.result(
        new LogText(
            logs,
            run.id(),
            blank(ctx.queryParam("task")),
            attempt(ctx.queryParam("attempt")),
            masker));
  }

  private void follow(SseClient client) {
    RunRecord run = RunRoutes.find(store, client.ctx().pathParam("id"));
    String task = blank(client.ctx().queryParam("task"));
    int attempt = attempt(client.ctx().queryParam("attempt"));
    long after;
    try {
      after =
          Long.parseLong(client.ctx().queryParamAsClass("after", String.class).getOrDefault("0"));
    } catch (NumberFormatException e) {
      after = 0;
    }
    long deadline = System.nanoTime() + java.time.Duration.ofHours(6).toNanos();
    try {
      while (!client.terminated() && System.nanoTime() < deadline) {
        var page =
            logs.page(new LogSearch.Query(run.id(), task, attempt, null, null, after, 0, PAGE));
        for (LogSearch.Line l : page.lines()) {
          var o = Json.MAPPER.createObjectNode();
          o.put("id", l.id());
          o.put("time", l.line().time().toString());
          o.put("task", l.line().taskId());
          o.put("attempt", l.line().attempt());
          o.put("level", l.line().level());
          o.put("message", masker.mask(l.line().message()));
          client.sendEvent("log", o.toString());
          after = l.id();
        }
        if (page.more()) {
          continue;
        }
        RunRecord now = store.findRun(run.id()).orElse(run);
        if (now.state().isTerminal() && launcher.handle(run.id()).isEmpty()) {
          // one more read: lines stored between the last page and the end
          if (logs.page(new LogSearch.Query(run.id(), task, attempt, null, null, after, 0, 1))
              .lines()
              .isEmpty()) {
            client.sendEvent("end", "{\"state\": \"" + now.state().name() + "\"}");
            break;
          }
          continue;
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException gone) {
      // the browser went away mid-write (Jetty recycles the response)
    } finally {
      RunGraphRoutes.closeQuietly(client);
    }
  }

  /** The {@code attempt} query parameter: a task attempt (1, 2…), 0 when absent; 400 otherwise. */
  static int attempt(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw ApiException.badRequest(
        "'attempt' must be a task attempt number (1, 2…), got '" + value + "'; e.g. ?attempt=2");
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
