package dev.weir.server.ui;

import dev.weir.server.backfills.Backfills;
import dev.weir.server.backfills.Slot;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;

/**
 * One backfill: its range, state and progress, every slot with its run, and the pause, resume and
 * cancel actions of the API. The page's script follows the progress while the backfill is active.
 */
final class BackfillPage {
  private final Ui ui;
  private final View view;

  BackfillPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  /** A slot as the page shows it; its error may quote data, so it is masked. */
  record SlotRow(int no, Instant logicalDate, String status, String runId, String error) {}

  void handle(Context ctx, Sessions.Session session) {
    Backfills.Progress p = ui.backfills().get(ctx.pathParam("id"));
    var model = new LinkedHashMap<String, Object>();
    model.put("backfill", BackfillRow.of(p, ui.masker()));
    model.put(
        "slots",
        p.slots().stream()
            .map((Slot s) ->
                new SlotRow(
                    s.no(),
                    s.logicalDate(),
                    s.status(),
                    s.runId(),
                    s.error() == null ? null : ui.masker().mask(s.error())))
            .toList());
    view.page(
        ctx,
        session,
        "backfill",
        "Backfill " + p.backfill().id() + " · " + p.backfill().flow(),
        "backfills",
        model);
  }
}
