package dev.weir.server.ui;

import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.store.ServerStore;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * One flow: its recent runs, the actions the API offers for it (run now with a form made from its
 * typed inputs, enable, disable), its triggers with their next fire times, its topology, its
 * highlighted source and its revisions, each comparable with the current one.
 */
final class FlowPage {
  private final Ui ui;
  private final View view;

  FlowPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  /** A revision of the flow, newest first on the page. */
  record Revision(
      int revision, String hash, String author, String origin, Instant created, boolean current) {}

  void handle(Context ctx, Sessions.Session session) {
    DeployedFlow f = find(ui, ctx);
    Flow flow = f.flow();
    Instant now = ui.clock().instant();
    var taskIds = new HashSet<String>();
    Stream.of(flow.tasks(), flow.onFailure(), flow.finallyTasks())
        .flatMap(List::stream)
        .map(TaskDef::id)
        .forEach(taskIds::add);
    var triggers = TriggerView.of(f, now, ui.masker());
    var model = new LinkedHashMap<String, Object>();
    model.put("flow", f);
    model.put("key", f.flow().namespace() + "." + f.flow().id());
    model.put("api", "/api/v1/flows/" + flow.namespace() + "/" + flow.id());
    model.put("page", "/flows/" + flow.namespace() + "/" + flow.id());
    model.put(
        "description", flow.description() == null ? null : ui.masker().mask(flow.description()));
    model.put("health", FlowHealth.of(ui, f.key(), now));
    model.put("triggers", triggers);
    model.put("nextFire", TriggerView.nextFire(triggers));
    model.put("inputs", InputField.of(flow.inputs(), ui.masker()));
    model.put("zones", TimeZones.all());
    model.put("source", SourceLines.of(ui.masker().mask(flow.source().text()), taskIds));
    model.put("revisions", revisions(ui, f));
    view.page(ctx, session, "flow", flow.namespace() + "." + flow.id(), "flows", model);
  }

  /** The flow the path names, or a 404 page. */
  static DeployedFlow find(Ui ui, Context ctx) {
    return ui.flows().require(new FlowKey(ctx.pathParam("ns"), ctx.pathParam("id")));
  }

  static List<Revision> revisions(Ui ui, DeployedFlow f) {
    List<ServerStore.RevisionRow> rows =
        ui.serverStore().history(f.flow().namespace(), f.flow().id());
    return rows.reversed().stream()
        .map(r ->
            new Revision(
                r.revision(),
                r.hash(),
                ui.masker().mask(r.author()),
                ui.masker().mask(r.origin()),
                r.createdAt(),
                r.revision() == f.revision()))
        .toList();
  }
}
