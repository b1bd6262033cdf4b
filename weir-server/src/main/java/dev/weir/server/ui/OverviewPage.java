package dev.weir.server.ui;

import dev.weir.store.RecentRuns;
import dev.weir.store.RunCounts;
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
  private final Ui ui;
  private final View view;
  private final OverviewSignals signals;
  private final RunCounts counts;
  private final RecentRuns recent;

  OverviewPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
    this.signals = new OverviewSignals(ui);
    this.counts = new RunCounts(ui.store().dataSource());
    this.recent = new RecentRuns(ui.store().dataSource());
  }

  void handle(Context ctx, Sessions.Session session) {
    Instant now = ui.clock().instant();
    Instant dayAgo = now.minus(Duration.ofHours(24));
    RunCounts.Tally day = counts.count(dayAgo, HourlyChart.firstHour(now), HourlyChart.HOURS);
    var byState = new EnumMap<RunState, Long>(RunState.class);
    for (RunState s : RunState.values()) {
      byState.put(s, day.of(s));
    }

    List<RunRow> running =
        ui.store().listRuns(new RunQuery(null, null, RunState.RUNNING, 50)).stream()
            .map(r -> RunRow.of(r, now, ui.masker()))
            .toList();

    var failing = new ArrayList<RunRow>();
    List<RecentRuns.Flow> flows =
        ui.flows().all().stream()
            .map(f -> new RecentRuns.Flow(f.flow().namespace(), f.flow().id()))
            .toList();
    for (List<RunRecord> last : recent.of(flows, 1).values()) {
      last.stream()
          .filter(r -> r.state() == RunState.FAILED)
          .findFirst()
          .ifPresent(r -> failing.add(RunRow.of(r, now, ui.masker())));
    }
    failing.sort(Comparator.comparing(RunRow::created).reversed());

    var queue = ui.launcher().queue();
    var model = new LinkedHashMap<String, Object>();
    model.put("byState", stateCounts(byState));
    model.put("dayTotal", day.total());
    model.put("running", running);
    model.put("failing", failing);
    model.put("queued", queue.runs());
    model.put("oldestQueued", queue.oldest().orElse(null));
    model.put("hours", HourlyChart.of(day, now));
    model.put("flowCount", ui.flows().all().size());
    model.putAll(signals.of(now));
    view.page(ctx, session, "overview", "Overview", "overview", model);
  }

  private static List<Map<String, Object>> stateCounts(Map<RunState, Long> byState) {
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
    static final int HOURS = 24;

    /** The start of the chart's first hour: 23 hours before the hour {@code now} is in (UTC). */
    static Instant firstHour(Instant now) {
      return now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
    }

    static HourlyChart of(RunCounts.Tally tally, Instant now) {
      Instant last = now.truncatedTo(ChronoUnit.HOURS);
      int[][] counts = new int[HOURS][RunState.values().length];
      for (int i = 0; i < HOURS; i++) {
        for (RunState s : RunState.values()) {
          counts[i][s.ordinal()] = (int) tally.inHour(i, s);
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
