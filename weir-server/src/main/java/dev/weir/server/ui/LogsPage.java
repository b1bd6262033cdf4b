package dev.weir.server.ui;

import dev.weir.store.LogSearch;
import dev.weir.store.RunRecord;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A run's logs, a page of lines at a time: filtered by task, attempt, level and a search text in
 * the database, paged by line ids, so that neither the server nor the browser holds a large log. A
 * page can follow the run live and download the whole log.
 */
final class LogsPage {
  static final int PAGE = 500;

  private final Ui ui;
  private final View view;
  private final LogSearch logs;

  LogsPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
    this.logs = new LogSearch(ui.store().dataSource());
  }

  /** A line as shown (masked when stored; masked again in case a secret was added since). */
  record Line(
      long id, java.time.Instant time, String task, int attempt, String level, String text) {}

  void handle(Context ctx, Sessions.Session session) {
    String id = ctx.pathParam("id");
    RunRecord run = dev.weir.server.api.RunRoutes.find(ui.store(), id);
    String task = RunsPage.blankToNull(ctx.queryParam("task"));
    int attempt = (int) Math.min(Integer.MAX_VALUE, longParam(ctx.queryParam("attempt")));
    String level = RunsPage.blankToNull(ctx.queryParam("level"));
    String search = RunsPage.blankToNull(ctx.queryParam("q"));
    long after = longParam(ctx.queryParam("after"));
    long before = longParam(ctx.queryParam("before"));
    var page =
        logs.page(new LogSearch.Query(run.id(), task, attempt, level, search, after, before, PAGE));
    List<Line> lines =
        page.lines().stream()
            .map(l ->
                new Line(
                    l.id(),
                    l.line().time(),
                    l.line().taskId(),
                    l.line().attempt(),
                    l.line().level(),
                    ui.masker().mask(l.line().message())))
            .toList();
    var model = new LinkedHashMap<String, Object>();
    model.put("run", RunRow.of(run, ui.clock().instant(), ui.masker()));
    model.put("lines", lines);
    model.put("total", logs.count(run.id()));
    model.put("prev", page.earlier() && !lines.isEmpty() ? lines.get(0).id() : null);
    model.put("next", page.more() && !lines.isEmpty() ? lines.get(lines.size() - 1).id() : null);
    model.put("last", lines.isEmpty() ? after : lines.get(lines.size() - 1).id());
    model.put("tasks", logs.tasks(run.id()));
    model.put("task", task);
    model.put("attempts", logs.attempts(run.id(), task));
    model.put("attempt", attempt);
    model.put("query", query(task, attempt, level, search));
    model.put("download", download(run.id(), task, attempt));
    model.put("level", level);
    model.put("q", search);
    model.put("filtered", task != null || attempt > 0 || level != null || search != null);
    // following sends every new line of the task and attempt; a level or text filter would hide
    // lines the live view shows, so a page filtered by them does not follow
    model.put("followable", level == null && search == null && !run.state().isTerminal());
    model.put("levels", List.of("INFO", "WARN", "ERROR", "DEBUG"));
    view.page(ctx, session, "logs", "Logs · run " + run.id(), "runs", model);
  }

  /** The filters as a query string to page with (each value encoded), ending with '&'. */
  static String query(String task, int attempt, String level, String search) {
    var q = new StringBuilder();
    param(q, "task", task);
    param(q, "attempt", attempt > 0 ? String.valueOf(attempt) : null);
    param(q, "level", level);
    param(q, "q", search);
    return q.toString();
  }

  /** The download's address, of the task and attempt shown. */
  static String download(String runId, String task, int attempt) {
    var q = new StringBuilder();
    param(q, "task", task);
    param(q, "attempt", attempt > 0 ? String.valueOf(attempt) : null);
    String query = q.isEmpty() ? "" : "?" + q.substring(0, q.length() - 1);
    return "/api/v1/runs/" + runId + "/logs.txt" + query;
  }

  private static void param(StringBuilder q, String name, String value) {
    if (value != null) {
      q.append(name)
          .append('=')
          .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8))
          .append('&');
    }
  }

  private static long longParam(String v) {
    if (v == null || v.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(v.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
