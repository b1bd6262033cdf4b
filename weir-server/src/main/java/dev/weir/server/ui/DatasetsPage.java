package dev.weir.server.ui;

import dev.weir.server.NotFoundException;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.store.CheckRecord;
import dev.weir.store.DatasetWrite;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Quality and datasets: for each dataset the deployed flows write, how fresh it is, the history of
 * each of its checks (pass, warn, fail over its last runs) and its row-count trend against the
 * anomaly baseline. {@code ?flow=NAMESPACE/ID} narrows it to one flow, {@code &dataset=} to one
 * dataset.
 */
final class DatasetsPage {
  /** The most check results read per flow: a strip of 30 for a few dozen checks. */
  static final int HISTORY = 1000;

  private final Ui ui;
  private final View view;

  DatasetsPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  void handle(Context ctx, Sessions.Session session) {
    String flowParam = RunsPage.blankToNull(ctx.queryParam("flow"));
    String datasetParam = RunsPage.blankToNull(ctx.queryParam("dataset"));
    List<FlowKey> flows = new ArrayList<>();
    if (flowParam != null) {
      FlowKey key = BackfillsPage.flowKey(flowParam);
      if (key == null) {
        throw new dev.weir.WeirException(
            "flow must be NAMESPACE/ID, e.g. /datasets?flow=shop/daily_orders; got '"
                + flowParam
                + "'");
      }
      flows.add(key);
    } else {
      ui.flows().all().stream().map(DeployedFlow::key).forEach(flows::add);
      flows.sort(java.util.Comparator.comparing(FlowKey::toString));
    }
    Map<FlowKey, Map<String, DatasetWrite>> writes = writes();
    Instant now = ui.clock().instant();
    var views = new ArrayList<DatasetView>();
    for (FlowKey flow : flows) {
      List<CheckRecord> history =
          ui.store().checkHistory(flow.namespace(), flow.id(), datasetParam, HISTORY);
      Map<String, DatasetWrite> written = writes.getOrDefault(flow, Map.of());
      if (flowParam != null
          && history.isEmpty()
          && written.isEmpty()
          && ui.flows().get(flow).isEmpty()) {
        throw new NotFoundException(
            "no flow " + flow + " on this server, and no check results of one by that name");
      }
      var byDataset = new LinkedHashMap<String, List<CheckRecord>>();
      history.forEach(c -> byDataset.computeIfAbsent(c.dataset(), k -> new ArrayList<>()).add(c));
      var names = new LinkedHashSet<String>(written.keySet());
      names.addAll(byDataset.keySet());
      for (String dataset : names.stream().sorted().toList()) {
        if (datasetParam == null || datasetParam.equals(dataset)) {
          views.add(
              DatasetView.of(
                  flow,
                  dataset,
                  byDataset.getOrDefault(dataset, List.of()),
                  written.get(dataset),
                  now,
                  ui.masker()));
        }
      }
    }
    var model = new LinkedHashMap<String, Object>();
    model.put("datasets", views);
    model.put("flow", flowParam);
    model.put("dataset", datasetParam);
    model.put("strip", DatasetView.STRIP);
    view.page(ctx, session, "datasets", "Quality and datasets", "datasets", model);
  }

  private Map<FlowKey, Map<String, DatasetWrite>> writes() {
    var out = new HashMap<FlowKey, Map<String, DatasetWrite>>();
    for (DatasetWrite w : ui.store().lastDatasetWrites()) {
      out.computeIfAbsent(new FlowKey(w.namespace(), w.flowId()), k -> new HashMap<>())
          .put(w.taskId(), w);
    }
    return out;
  }
}
