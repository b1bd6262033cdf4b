package dev.weir.server.ui;

import dev.weir.server.backfills.BackfillState;
import dev.weir.server.flows.FlowKey;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/** The backfills, newest first, with how far each got; filtered by flow and state. */
final class BackfillsPage {
  static final int PAGE = 100;

  private final Ui ui;
  private final View view;

  BackfillsPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  void handle(Context ctx, Sessions.Session session) {
    String flowParam = RunsPage.blankToNull(ctx.queryParam("flow"));
    String stateParam = RunsPage.blankToNull(ctx.queryParam("state"));
    String problem = null;
    FlowKey flow = null;
    BackfillState state = null;
    if (flowParam != null) {
      flow = flowKey(flowParam);
      if (flow == null) {
        problem = "flow must be NAMESPACE/ID, e.g. shop/daily_orders; got '" + flowParam + "'";
      }
    }
    if (stateParam != null) {
      try {
        state = BackfillState.valueOf(stateParam.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem =
            "unknown state '"
                + stateParam
                + "' (known: "
                + String.join(", ", states()).toLowerCase(Locale.ROOT)
                + ")";
      }
    }
    List<BackfillRow> rows =
        problem != null
            ? List.of()
            : ui.backfills().list(flow, state, PAGE).stream()
                .map(p -> BackfillRow.of(p, ui.masker()))
                .toList();
    var model = new LinkedHashMap<String, Object>();
    model.put("backfills", rows);
    model.put("flow", flowParam);
    model.put("state", state == null ? null : state.name());
    model.put("states", states());
    model.put("problem", problem);
    model.put("page", PAGE);
    if (problem != null) {
      ctx.status(400);
    }
    view.page(ctx, session, "backfills", "Backfills", "backfills", model);
  }

  private static List<String> states() {
    return Arrays.stream(BackfillState.values()).map(Enum::name).toList();
  }

  /** {@code NAMESPACE/ID} as a key, or null when it is not of that form. */
  static FlowKey flowKey(String s) {
    int slash = s.indexOf('/');
    if (slash <= 0 || slash == s.length() - 1 || s.indexOf('/', slash + 1) >= 0) {
      return null;
    }
    return new FlowKey(s.substring(0, slash), s.substring(slash + 1));
  }
}
