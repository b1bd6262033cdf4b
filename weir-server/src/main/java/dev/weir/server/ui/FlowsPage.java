package dev.weir.server.ui;

import dev.weir.server.flows.DeployedFlow;
import dev.weir.store.RecentRuns;
import dev.weir.store.RunRecord;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every deployed flow: enabled or not, its last run, when a schedule fires it next and the health
 * strip of its last runs; and the flow files that do not load, with why. The runs of every flow are
 * read together ({@link RecentRuns}), not flow by flow.
 */
final class FlowsPage {
  private final Ui ui;
  private final View view;
  private final RecentRuns recent;

  FlowsPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
    this.recent = new RecentRuns(ui.store().dataSource());
  }

  private static RecentRuns.Flow key(DeployedFlow f) {
    return new RecentRuns.Flow(f.flow().namespace(), f.flow().id());
  }

  /** One row of the list. */
  record Item(
      String namespace,
      String id,
      String description,
      boolean enabled,
      int revision,
      int tasks,
      FlowHealth health,
      Instant nextFire) {}

  /** A flow file that does not load; its message is masked. */
  record Invalid(String file, String message) {}

  void handle(Context ctx, Sessions.Session session) {
    Instant now = ui.clock().instant();
    var items = new ArrayList<Item>();
    List<DeployedFlow> flows =
        ui.flows().all().stream()
            .sorted(Comparator.comparing((DeployedFlow f) -> f.key().toString()))
            .toList();
    Map<RecentRuns.Flow, List<RunRecord>> runs =
        recent.of(flows.stream().map(FlowsPage::key).toList(), FlowHealth.RUNS);
    flows.forEach(f ->
        items.add(
            new Item(
                f.flow().namespace(),
                f.flow().id(),
                ui.masker().mask(f.flow().description()),
                f.enabled(),
                f.revision(),
                f.flow().tasks().size(),
                FlowHealth.of(runs.get(key(f)), now, ui),
                TriggerView.nextFire(TriggerView.of(f, now, ui.masker())))));
    List<Invalid> invalid =
        ui.watcher().problems().entrySet().stream()
            .map(e -> new Invalid(e.getKey().toString(), ui.masker().mask(e.getValue())))
            .toList();
    var model = new LinkedHashMap<String, Object>();
    model.put("flows", items);
    model.put("invalid", invalid);
    view.page(ctx, session, "flows", "Flows", "flows", model);
  }
}
