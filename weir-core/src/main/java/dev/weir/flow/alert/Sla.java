package dev.weir.flow.alert;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * When a run of a flow is late ({@code sla:}).
 *
 * @param maxDuration late once running longer than this from its start; null when none
 * @param deadline late when not ended by this local time on its logical date; null when none
 * @param timezone the zone of {@code deadline}
 * @param auto also late when running longer than twice the median of the last successful runs
 * @param lag a stream flow's most lag (source commit to target commit, p99 of a batch) before it is
 *     late; null when none (docs/streams.md)
 */
public record Sla(
    Duration maxDuration, LocalTime deadline, ZoneId timezone, boolean auto, Duration lag) {
  /** A flow without {@code sla:}: only the automatic check. */
  public static final Sla DEFAULT = new Sla(null, null, ZoneOffset.UTC, true, null);

  public Sla(Duration maxDuration, LocalTime deadline, ZoneId timezone, boolean auto) {
    this(maxDuration, deadline, timezone, auto, null);
  }

  public Sla {
    timezone = Objects.requireNonNullElse(timezone, ZoneOffset.UTC);
    if (maxDuration != null && (maxDuration.isZero() || maxDuration.isNegative())) {
      throw new IllegalArgumentException("maxDuration must be longer than 0, got " + maxDuration);
    }
    if (lag != null && (lag.isZero() || lag.isNegative())) {
      throw new IllegalArgumentException("lag must be longer than 0, got " + lag);
    }
  }
}
