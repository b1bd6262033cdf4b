package dev.weir.server.ui;

import dev.weir.WeirException;
import dev.weir.server.NotFoundException;
import dev.weir.server.flows.DeployedFlow;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A revision of a flow side by side with the current one ({@code ?from=N}; the previous revision by
 * default), and the button that restores it: the API's rollback, which makes its text current again
 * as a new revision.
 */
final class FlowDiffPage {
  private final Ui ui;
  private final View view;

  FlowDiffPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  void handle(Context ctx, Sessions.Session session) {
    DeployedFlow f = FlowPage.find(ui, ctx);
    List<FlowPage.Revision> revisions = FlowPage.revisions(ui, f);
    int from = from(ctx.queryParam("from"), f.revision());
    FlowPage.Revision old =
        revisions.stream()
            .filter(r -> r.revision() == from)
            .findFirst()
            .orElseThrow(() ->
                new NotFoundException(
                    "flow "
                        + f.key()
                        + " has no revision "
                        + from
                        + " (it has 1 to "
                        + f.revision()
                        + ")"));
    String oldText =
        ui.store()
            .revisionText(old.hash())
            .orElseThrow(() -> new WeirException("the text of revision " + from + " is missing"));
    var diff = SideBySide.of(ui.masker().mask(oldText), ui.masker().mask(f.flow().source().text()));
    var model = new LinkedHashMap<String, Object>();
    model.put("flow", f);
    model.put("key", f.flow().namespace() + "." + f.flow().id());
    model.put("api", "/api/v1/flows/" + f.flow().namespace() + "/" + f.flow().id());
    model.put("page", "/flows/" + f.flow().namespace() + "/" + f.flow().id());
    model.put("from", old);
    model.put("revisions", revisions);
    model.put("diff", diff);
    model.put("restoreBody", "{\"revision\": " + from + "}");
    view.page(
        ctx,
        session,
        "flow-diff",
        f.flow().namespace()
            + "."
            + f.flow().id()
            + " · revision "
            + from
            + " against "
            + f.revision(),
        "flows",
        model);
  }

  /** The revision asked for, or the one before the current one. */
  private static int from(String param, int current) {
    if (param == null || param.isBlank()) {
      return Math.max(1, current - 1);
    }
    try {
      return Integer.parseInt(param.strip());
    } catch (NumberFormatException e) {
      throw new WeirException("'" + param + "' is not a revision number; try ?from=1");
    }
  }
}
