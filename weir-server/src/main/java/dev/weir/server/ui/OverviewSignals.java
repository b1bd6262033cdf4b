package dev.weir.server.ui;

import dev.weir.server.alerts.Alerts;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.schedule.Scheduler;
import dev.weir.store.CheckRecord;
import dev.weir.store.DatasetWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The overview's signals beyond the runs: SLA misses and quality warnings of the last 24 hours, the
 * next schedule fires, and how long ago each dataset was last written — the things that go wrong
 * without a run failing.
 */
final class OverviewSignals {
  static final int SLA_MISSES = 20;
  static final int WARNINGS = 20;
  static final int UPCOMING = 10;

  /** Check results read per flow; a flow checking more in a day shows its newest warnings. */
  static final int CHECKS_PER_FLOW = 200;

  private final Ui ui;

  OverviewSignals(Ui ui) {
    this.ui = ui;
  }

  /**
   * A check that failed in the last 24 hours: its newest failure (detail masked) and how many times
   * it failed.
   */
  record Warning(
      String flow,
      String dataset,
      String check,
      String result,
      String runId,
      Instant at,
      String detail,
      int times) {}

  record SlaMiss(String flow, String runId, String reason, Instant at) {}

  record Fresh(String flow, String dataset, Instant writtenAt, Duration age, String runId) {}

  Map<String, Object> of(Instant now) {
    Instant dayAgo = now.minus(Duration.ofHours(24));
    var m = new LinkedHashMap<String, Object>();
    m.put("slaMisses", slaMisses(dayAgo));
    m.put("warnings", warnings(dayAgo));
    m.put(
        "upcoming",
        ui.scheduler() == null ? List.<Scheduler.Upcoming>of() : ui.scheduler().upcoming(UPCOMING));
    m.put("freshness", freshness(now));
    return m;
  }

  private List<SlaMiss> slaMisses(Instant since) {
    if (ui.alerts() == null) {
      return List.of();
    }
    var out = new ArrayList<SlaMiss>();
    for (Alerts.SlaMiss s : ui.alerts().slaMisses(since, SLA_MISSES)) {
      out.add(
          new SlaMiss(s.flow().toString(), s.runId(), ui.masker().mask(s.reason()), s.raisedAt()));
    }
    return out;
  }

  /** One line per failing check, the newest failure first. */
  private List<Warning> warnings(Instant since) {
    var out = new ArrayList<Warning>();
    for (DeployedFlow f : ui.flows().all()) {
      FlowKey k = f.key();
      var newest = new LinkedHashMap<String, CheckRecord>();
      var times = new java.util.HashMap<String, Integer>();
      for (CheckRecord c : ui.store().checkHistory(k.namespace(), k.id(), null, CHECKS_PER_FLOW)) {
        if (c.checkedAt().isBefore(since)) {
          break; // newest first
        }
        if (!c.passed()) {
          String key = c.dataset() + "\n" + c.name();
          newest.putIfAbsent(key, c);
          times.merge(key, 1, Integer::sum);
        }
      }
      newest.forEach((key, c) ->
          out.add(
              new Warning(
                  k.toString(),
                  c.dataset(),
                  c.name(),
                  DatasetView.result(c),
                  c.runId(),
                  c.checkedAt(),
                  c.detail() == null ? null : ui.masker().mask(c.detail()),
                  times.get(key))));
    }
    out.sort(Comparator.comparing(Warning::at).reversed());
    return out.subList(0, Math.min(WARNINGS, out.size()));
  }

  /** Each deployed flow's datasets, the longest unwritten first. */
  private List<Fresh> freshness(Instant now) {
    var out = new ArrayList<Fresh>();
    for (DatasetWrite w : ui.store().lastDatasetWrites()) {
      FlowKey k = new FlowKey(w.namespace(), w.flowId());
      if (ui.flows().get(k).isPresent()) {
        out.add(
            new Fresh(
                k.toString(),
                w.taskId(),
                w.writtenAt(),
                now.isAfter(w.writtenAt()) ? Duration.between(w.writtenAt(), now) : Duration.ZERO,
                w.runId()));
      }
    }
    out.sort(Comparator.comparing(Fresh::writtenAt));
    return out;
  }
}
