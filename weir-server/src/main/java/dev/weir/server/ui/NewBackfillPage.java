package dev.weir.server.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.flow.trigger.ScheduleTrigger;
import dev.weir.server.flows.DeployedFlow;
import io.javalin.http.Context;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The new backfill form: a flow with a schedule, the range, the parallelism and, for a flow with
 * several schedules, which one. Its script asks the API for a preview (every logical date and what
 * happens to it) before it lets the form be submitted.
 */
final class NewBackfillPage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Ui ui;
  private final View view;

  NewBackfillPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  /**
   * A flow that can be backfilled; {@code schedules} is JSON for the script (id, cron, zone).
   *
   * @param enabled a disabled flow is listed but cannot be chosen: it runs nothing
   */
  record Choice(String key, boolean enabled, String schedules) {}

  void handle(Context ctx, Sessions.Session session) throws Exception {
    var choices = new ArrayList<Choice>();
    var flows = new ArrayList<>(ui.flows().all());
    flows.sort(Comparator.comparing(f -> f.key().toString()));
    for (DeployedFlow f : flows) {
      var schedules = new ArrayList<Map<String, String>>();
      for (var t : f.flow().triggers()) {
        if (t instanceof ScheduleTrigger s) {
          var m = new LinkedHashMap<String, String>();
          m.put("id", s.id());
          m.put("cron", s.cron().expression());
          m.put("timezone", s.timezone().equals(ZoneOffset.UTC) ? "UTC" : s.timezone().getId());
          schedules.add(m);
        }
      }
      if (!schedules.isEmpty()) {
        choices.add(
            new Choice(f.key().toString(), f.enabled(), JSON.writeValueAsString(schedules)));
      }
    }
    String wanted = RunsPage.blankToNull(ctx.queryParam("flow"));
    String problem = null;
    if (wanted != null && choices.stream().noneMatch(c -> c.key().equals(wanted))) {
      problem =
          "flow '"
              + wanted
              + "' is not deployed here or has no schedule trigger, so it cannot be backfilled"
              + (choices.isEmpty() ? "" : "; choose one below");
      ctx.status(404).attribute(dev.weir.server.api.ApiServer.ERROR_PAGE_SHOWN, true);
    }
    var model = new LinkedHashMap<String, Object>();
    model.put("choices", choices);
    model.put("selected", problem == null ? wanted : null);
    model.put("problem", problem);
    model.put("maxParallel", dev.weir.server.backfills.Backfills.MAX_PARALLEL);
    view.page(ctx, session, "backfill-new", "New backfill", "backfills", model);
  }
}
