package dev.weir.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.expr.Masker;
import dev.weir.server.runs.RunLauncher;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.List;
import java.util.function.Function;

/**
 * The log handlers of {@link RunRoutes}, which registers them: a run's stored lines as JSON pages
 * ({@code GET /runs/{id}/logs}) and streamed as they come ({@code /runs/{id}/logs/stream},
 * server-sent events {@code log}, then {@code end} with the run), each line masked.
 */
final class RunLogs {
  private final StateStore store;
  private final RunLauncher launcher;
  private final Masker masker;
  // the run as RunRoutes answers it, sent with the end event
  private final Function<RunRecord, ObjectNode> runJson;

  RunLogs(
      StateStore store,
      RunLauncher launcher,
      Masker masker,
      Function<RunRecord, ObjectNode> runJson) {
    this.store = store;
    this.launcher = launcher;
    this.masker = masker;
    this.runJson = runJson;
  }

  /** {@code GET /runs/{id}/logs}: a page of the run's lines, of one task and attempt when asked. */
  void logs(Context ctx) {
    RunRecord r = RunRoutes.find(store, ctx.pathParam("id"));
    int attempt = LogRoutes.attempt(ctx.queryParam("attempt"));
    List<LogLine> lines =
        store.logs(r.id(), ctx.queryParam("task")).stream()
            .filter(l -> attempt == 0 || l.attempt() == attempt)
            .toList();
    int offset =
        ctx.queryParam("offset") == null
            ? 0
            : FlowRoutes.intParam(ctx.queryParam("offset"), "offset");
    int limit =
        ctx.queryParam("limit") == null
            ? 500
            : Math.min(5000, FlowRoutes.intParam(ctx.queryParam("limit"), "limit"));
    var root = Json.MAPPER.createObjectNode();
    root.put("runId", r.id());
    root.put("offset", offset);
    root.put("total", lines.size());
    var arr = root.putArray("lines");
    lines.stream().skip(offset).limit(limit).forEach(l -> arr.add(line(l)));
    int next = offset + arr.size();
    if (next < lines.size()) {
      root.put("next", next);
    }
    ctx.json(root);
  }

  private ObjectNode line(LogLine l) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("time", RunRoutes.str(l.time()));
    o.put("task", l.taskId());
    o.put("attempt", l.attempt());
    o.put("level", l.level());
    o.put("message", masker.mask(l.message()));
    return o;
  }

  // polls the stored lines and sends the new ones until the run has ended and all are sent
  void stream(SseClient client) {
    String id = client.ctx().pathParam("id");
    RunRecord r = RunRoutes.find(store, id);
    int sent = 0;
    long deadline = System.nanoTime() + java.time.Duration.ofHours(6).toNanos();
    while (!client.terminated() && System.nanoTime() < deadline) {
      List<LogLine> lines = store.logs(r.id(), null);
      for (int i = sent; i < lines.size(); i++) {
        client.sendEvent("log", line(lines.get(i)).toString());
      }
      sent = lines.size();
      RunRecord now = store.findRun(r.id()).orElse(r);
      if (now.state().isTerminal() && launcher.handle(r.id()).isEmpty()) {
        client.sendEvent("end", runJson.apply(now).toString());
        break;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    client.close();
  }
}
