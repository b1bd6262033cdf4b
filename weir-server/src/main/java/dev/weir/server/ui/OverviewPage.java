package dev.weir.server.ui;

import dev.weir.server.flows.DeployedFlow;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore.RunQuery;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The overview: runs of the last 24 hours by state and per hour, what is running now, the queue,
 * the flows whose last run failed, and the {@link OverviewSignals} (SLA misses, quality warnings,
 * next schedule fires, dataset freshness) — what an on-call engineer looks at first.
 */
final class OverviewPage {
  /** The most runs of the last day the page counts; beyond it the counts say "at least". */
  static final int DAY_LIMIT = 20_000;

  private final Ui ui;
  private final View view;
  private final OverviewSignals signals;

  OverviewPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
    this.signals = new OverviewSignals(ui);
  }

  void handle(Context ctx, Sessions.Session session) {
    Instant now = ui.clock().instant();
    Instant dayAgo = now.minus(Duration.ofHours(24));
    List<RunRecord> day =
        ui.store().listRuns(new RunQuery(null, null, null, dayAgo, null, DAY_LIMIT));
    var byState = new EnumMap<RunState, Integer>(RunState.class);
    for (RunState s : RunState.values()) {
      byState.put(s, 0);
    }
    day.forEach(r -> byState.merge(r.state(), 1, Integer::sum));

    List<RunRow> running =
        ui.store().listRuns(new RunQuery(null, null, RunState.RUNNING, 50)).stream()
            .map(r -> RunRow.of(r, now, ui.masker()))
            .toList();

    var failing = new ArrayList<RunRow>();
    for (DeployedFlow f : ui.flows().all()) {
      ui.store().listRuns(new RunQuery(f.flow().namespace(), f.flow().id(), null, 1)).stream()
          .filter(r -> r.state() == RunState.FAILED)
          .findFirst()
          .ifPresent(r -> failing.add(RunRow.of(r, now, ui.masker())));
    }
    failing.sort(Comparator.comparing(RunRow::created).reversed());

    var queue = ui.launcher().queue();
    var model = new LinkedHashMap<String, Object>();
    model.put("byState", stateCounts(byState));
    model.put("dayTotal", day.size());
    model.put("dayCapped", day.size() >= DAY_LIMIT);
    model.put("running", running);
    model.put("failing", failing);
    model.put("queued", queue.runs());
    model.put("oldestQueued", queue.oldest().orElse(null));
    model.put("hours", HourlyChart.of(day, now));
    model.put("flowCount", ui.flows().all().size());
    model.putAll(signals.of(now));
    view.page(ctx, session, "overview", "Overview", "overview", model);
  }

  private static List<Map<String, Object>> stateCounts(Map<RunState, Integer> byState) {
    var out = new ArrayList<Map<String, Object>>();
    byState.forEach((s, n) -> out.add(Map.of("state", s.name(), "count", n)));
    return out;
  }

  /** Runs per hour of the last 24 hours, by state, as bars an SVG can draw. */
  record HourlyChart(List<Bar> bars, int max) {
    record Bar(Instant hour, int x, List<Segment> segments, int total, String label) {}

    record Segment(String state, int y, int height, int count) {}

    static final int HEIGHT = 120;
    static final int BAR = 22;

    static HourlyChart of(List<RunRecord> runs, Instant now) {
      Instant last = now.truncatedTo(ChronoUnit.HOURS);
      int[][] counts = new int[24][RunState.values().length];
      for (RunRecord r : runs) {
        long h = ChronoUnit.HOURS.between(r.createdAt().truncatedTo(ChronoUnit.HOURS), last);
        if (h >= 0 && h < 24) {
          counts[23 - (int) h][r.state().ordinal()]++;
        }
      }
      int max = 1;
      for (int[] c : counts) {
        max = Math.max(max, java.util.Arrays.stream(c).sum());
      }
      var bars = new ArrayList<Bar>();
      for (int i = 0; i < 24; i++) {
        int y = HEIGHT;
        var segs = new ArrayList<Segment>();
        int total = 0;
        for (RunState s : RunState.values()) {
          int n = counts[i][s.ordinal()];
          if (n > 0) {
            int h = Math.max(1, Math.round((float) n * HEIGHT / max));
            y -= h;
            segs.add(new Segment(s.name(), y, h, n));
            total += n;
          }
        }
        Instant hour = last.minus(Duration.ofHours(23 - i));
        String label = i % 6 == 0 ? hour.toString().substring(11, 16) : null;
        bars.add(new Bar(hour, i * (BAR + 4), segs, total, label));
      }
      return new HourlyChart(bars, max);
    }
  }
}
