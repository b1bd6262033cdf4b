package dev.weir.server.ui;

import dev.weir.server.flows.FlowKey;
import dev.weir.server.schedule.Scheduler;
import dev.weir.store.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The runs list's timeline: each past run as a dot at its start time and duration (coloured by
 * state), and the next scheduled runs on the same time axis, so that a run that took three times as
 * long, or a schedule about to pile onto a slow run, stands out. Coordinates are computed here and
 * drawn as SVG by the template.
 */
record RunScatter(
    int width,
    int height,
    List<Dot> dots,
    List<Next> upcoming,
    List<Tick> ticks,
    String maxDuration) {
  static final int WIDTH = 900;
  static final int HEIGHT = 160;
  static final int LEFT = 50;
  static final int BOTTOM = 20;

  record Dot(String id, String flow, String state, int x, int y, String label) {}

  record Next(String flow, String trigger, int x, String label) {}

  record Tick(int x, Instant at) {}

  static RunScatter of(List<RunRecord> runs, List<Scheduler.Upcoming> next, Instant now) {
    var started = runs.stream().filter(r -> r.startedAt() != null).toList();
    if (started.isEmpty() && next.isEmpty()) {
      return null;
    }
    Instant from = started.stream().map(RunRecord::startedAt).min(Instant::compareTo).orElse(now);
    Instant to = next.stream().map(Scheduler.Upcoming::at).max(Instant::compareTo).orElse(now);
    if (to.isBefore(now)) {
      to = now;
    }
    long span = Math.max(1, Duration.between(from, to).toMillis());
    long maxMs = 1;
    for (RunRecord r : started) {
      maxMs = Math.max(maxMs, duration(r, now).toMillis());
    }
    int plotW = WIDTH - LEFT - 45; // room for the last time label
    int plotH = HEIGHT - BOTTOM - 10;
    var dots = new ArrayList<Dot>();
    for (RunRecord r : started) {
      long ms = duration(r, now).toMillis();
      int x = LEFT + (int) (plotW * Duration.between(from, r.startedAt()).toMillis() / span);
      int y = 10 + plotH - (int) (plotH * ms / maxMs);
      dots.add(
          new Dot(
              r.id(),
              r.namespace() + "." + r.flowId(),
              r.state().name(),
              x,
              y,
              r.namespace()
                  + "."
                  + r.flowId()
                  + " "
                  + r.id()
                  + ": "
                  + r.state().name().toLowerCase()
                  + ", "
                  + Templates.duration(Duration.ofMillis(ms))
                  + ", started "
                  + Templates.utc(r.startedAt())));
    }
    var nexts = new ArrayList<Next>();
    for (Scheduler.Upcoming u : next) {
      int x = LEFT + (int) (plotW * Duration.between(from, u.at()).toMillis() / span);
      FlowKey k = u.flow();
      nexts.add(
          new Next(
              k.namespace() + "." + k.id(),
              u.triggerId(),
              x,
              k.namespace() + "." + k.id() + " next fires " + Templates.utc(u.at())));
    }
    var ticks = new ArrayList<Tick>();
    for (int i = 0; i <= 4; i++) {
      ticks.add(new Tick(LEFT + plotW * i / 4, from.plusMillis(span * i / 4)));
    }
    return new RunScatter(
        WIDTH, HEIGHT, dots, nexts, ticks, Templates.duration(Duration.ofMillis(maxMs)));
  }

  private static Duration duration(RunRecord r, Instant now) {
    return Duration.between(r.startedAt(), r.endedAt() == null ? now : r.endedAt());
  }
}
