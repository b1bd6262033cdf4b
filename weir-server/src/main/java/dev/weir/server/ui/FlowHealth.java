package dev.weir.server.ui;

import dev.weir.server.flows.FlowKey;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore.RunQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A flow's recent runs at a glance: its last run, and a strip of its last {@value #RUNS} runs as
 * squares coloured by state, oldest left and newest right, padded on the left so that the strips of
 * a list line up.
 *
 * @param last the newest run, null when the flow never ran
 */
record FlowHealth(RunRow last, List<Square> strip) {
  static final int RUNS = 20;

  /**
   * One square of the strip.
   *
   * @param id the run's id; null for an empty square (fewer than {@value #RUNS} runs)
   * @param label what a tooltip or a screen reader says about it
   */
  record Square(String id, String state, String label) {}

  /** One flow's health, read on its own (the flow page). */
  static FlowHealth of(Ui ui, FlowKey key, Instant now) {
    return of(ui.store().listRuns(new RunQuery(key.namespace(), key.id(), null, RUNS)), now, ui);
  }

  /**
   * @param runs the flow's last runs, newest first (at most {@value #RUNS} are shown)
   */
  static FlowHealth of(List<RunRecord> runs, Instant now, Ui ui) {
    runs = runs.subList(0, Math.min(RUNS, runs.size()));
    var strip = new ArrayList<Square>(RUNS);
    for (int i = runs.size(); i < RUNS; i++) {
      strip.add(new Square(null, null, null));
    }
    for (int i = runs.size() - 1; i >= 0; i--) {
      RunRecord r = runs.get(i);
      String state = r.state().name().toLowerCase(Locale.ROOT).replace('_', ' ');
      strip.add(
          new Square(
              r.id(),
              r.state().name(),
              "run "
                  + r.id().substring(0, Math.min(10, r.id().length()))
                  + " "
                  + state
                  + ", created "
                  + Templates.utc(r.createdAt())));
    }
    return new FlowHealth(runs.isEmpty() ? null : RunRow.of(runs.get(0), now, ui.masker()), strip);
  }
}
