package dev.weir.server.ui;

import dev.weir.server.NotFoundException;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A run's logs, a page of lines at a time: filtered by task, level and a search text on the server,
 * so that the browser never holds a whole large log.
 */
final class LogsPage {
  static final int PAGE = 500;

  private final Ui ui;
  private final View view;

  LogsPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  /** A line as shown (masked when stored; masked again in case a secret was added since). */
  record Line(
      int no, java.time.Instant time, String task, int attempt, String level, String text) {}

  void handle(Context ctx, Sessions.Session session) {
    String id = ctx.pathParam("id");
    RunRecord run =
        ui.store()
            .findRun(id)
            .orElseThrow(() -> new NotFoundException("no run '" + id + "' on this server"));
    String task = RunsPage.blankToNull(ctx.queryParam("task"));
    String level = RunsPage.blankToNull(ctx.queryParam("level"));
    String search = RunsPage.blankToNull(ctx.queryParam("q"));
    int offset = Math.max(0, intParam(ctx.queryParam("offset")));
    List<LogLine> all = ui.store().logs(run.id(), null);
    Set<String> tasks = new TreeSet<>();
    var matching = new ArrayList<Line>();
    String needle = search == null ? null : search.toLowerCase(Locale.ROOT);
    for (int i = 0; i < all.size(); i++) {
      LogLine l = all.get(i);
      tasks.add(l.taskId());
      if ((task == null || task.equals(l.taskId()))
          && (level == null || level.equalsIgnoreCase(l.level()))
          && (needle == null || l.message().toLowerCase(Locale.ROOT).contains(needle))) {
        matching.add(
            new Line(
                i + 1,
                l.time(),
                l.taskId(),
                l.attempt(),
                l.level(),
                ui.masker().mask(l.message())));
      }
    }
    int from = Math.min(offset, matching.size());
    int to = Math.min(matching.size(), from + PAGE);
    var model = new LinkedHashMap<String, Object>();
    model.put("run", RunRow.of(run, ui.clock().instant(), ui.masker()));
    model.put("lines", matching.subList(from, to));
    model.put("total", all.size());
    model.put("matching", matching.size());
    model.put("from", from);
    model.put("to", to);
    model.put("prev", from > 0 ? Math.max(0, from - PAGE) : null);
    model.put("next", to < matching.size() ? to : null);
    model.put("tasks", tasks);
    model.put("task", task);
    model.put("level", level);
    model.put("q", search);
    model.put("levels", List.of("INFO", "WARN", "ERROR", "DEBUG"));
    view.page(ctx, session, "logs", "Logs · run " + run.id(), "runs", model);
  }

  private static int intParam(String v) {
    if (v == null || v.isBlank()) {
      return 0;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
