package dev.weir.server.ui;

import dev.weir.expr.Masker;
import dev.weir.server.backfills.Backfill;
import dev.weir.server.backfills.Backfills;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A backfill as the pages show it: its range and state, how many slots are done, and a bar of its
 * slots by state (widths in percent of a 100-wide SVG: the pages carry no inline styles).
 *
 * @param done slots that will not change any more: their run ended, or no run could be made
 */
record BackfillRow(
    String id,
    String flow,
    String trigger,
    Instant from,
    Instant to,
    int parallel,
    String state,
    boolean active,
    Instant created,
    Instant ended,
    String error,
    String waiting,
    int total,
    int done,
    List<Segment> bar,
    String summary) {

  /** One state's share of the bar. */
  record Segment(String status, double x, double width, int count) {}

  /** Slot statuses in bar order: ended first, then going, then not started. */
  static final List<String> ORDER =
      List.of(
          "SUCCEEDED", "FAILED", "ERROR", "CANCELLED", "UNKNOWN", "RUNNING", "QUEUED", "PENDING");

  private static final List<String> ENDED =
      List.of("SUCCEEDED", "FAILED", "ERROR", "CANCELLED", "UNKNOWN");

  static BackfillRow of(Backfills.Progress p, Masker masker) {
    Backfill b = p.backfill();
    int total = Math.max(b.slots(), 1);
    var bar = new ArrayList<Segment>();
    var words = new ArrayList<String>();
    double x = 0;
    int done = 0;
    for (String status : ORDER) {
      int n = p.count(status);
      if (n == 0) {
        continue;
      }
      double w = 100.0 * n / total;
      bar.add(new Segment(status, round(x), round(w), n));
      x += w;
      words.add(n + " " + status.toLowerCase(Locale.ROOT));
      if (ENDED.contains(status)) {
        done += n;
      }
    }
    return new BackfillRow(
        b.id(),
        b.flow().toString(),
        b.triggerId(),
        b.from(),
        b.to(),
        b.parallel(),
        b.state().name(),
        !b.state().isTerminal(),
        b.createdAt(),
        b.endedAt(),
        b.error() == null ? null : masker.mask(b.error()),
        p.waiting() == null ? null : masker.mask(p.waiting()),
        b.slots(),
        done,
        bar,
        String.join(", ", words));
  }

  private static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }
}
