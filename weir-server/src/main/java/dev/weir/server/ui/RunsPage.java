package dev.weir.server.ui;

import dev.weir.store.RunState;
import dev.weir.store.StateStore.RunQuery;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/** The runs list, newest first, filtered by namespace, flow and state. */
final class RunsPage {
  static final int PAGE = 100;

  private final Ui ui;
  private final View view;

  RunsPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  void handle(Context ctx, Sessions.Session session) {
    String namespace = blankToNull(ctx.queryParam("namespace"));
    String flow = blankToNull(ctx.queryParam("flow"));
    String stateParam = blankToNull(ctx.queryParam("state"));
    RunState state = null;
    String problem = null;
    if (stateParam != null) {
      try {
        state = RunState.valueOf(stateParam.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem = "unknown state '" + stateParam + "'";
      }
    }
    Instant now = ui.clock().instant();
    List<RunRow> runs =
        ui.store().listRuns(new RunQuery(namespace, flow, state, PAGE)).stream()
            .map(r -> RunRow.of(r, now, ui.masker()))
            .toList();
    var model = new LinkedHashMap<String, Object>();
    model.put("runs", runs);
    model.put("namespace", namespace);
    model.put("flow", flow);
    model.put("state", state == null ? null : state.name());
    model.put("states", Arrays.stream(RunState.values()).map(Enum::name).toList());
    model.put("problem", problem);
    model.put("page", PAGE);
    view.page(ctx, session, "runs", "Runs", "runs", model);
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
