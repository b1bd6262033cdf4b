package dev.weir.server.api;

import dev.weir.WeirException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;

/**
 * A wall-clock time read in a time zone, as the instant it names. Most local times name exactly one
 * instant; one that the clocks skip (a spring-forward gap) names none and is refused, saying which
 * times exist around it; one that the clocks pass twice (a fall-back overlap) names two, and the
 * first is taken with a note naming both. {@code java.time}'s own lenient rules would move a time
 * in a gap silently, which is not what a person typing it meant.
 */
public final class WallClock {
  private WallClock() {}

  /**
   * The instant, the offset it was read with, and a note when the time was ambiguous (null
   * otherwise).
   */
  public record Resolved(Instant instant, ZoneOffset offset, String note) {}

  /**
   * @throws WeirException when the time does not exist in the zone
   */
  public static Resolved resolve(LocalDateTime local, ZoneId zone) {
    List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
    if (offsets.size() == 1) {
      return new Resolved(local.toInstant(offsets.get(0)), offsets.get(0), null);
    }
    ZoneOffsetTransition t = zone.getRules().getTransition(local);
    if (offsets.isEmpty()) {
      throw new WeirException(
          local
              + " does not exist in "
              + zone.getId()
              + ": that day its clocks jump from "
              + t.getDateTimeBefore().toLocalTime()
              + " to "
              + t.getDateTimeAfter().toLocalTime()
              + " ("
              + t.getOffsetBefore()
              + " to "
              + t.getOffsetAfter()
              + "); pick a time before "
              + t.getDateTimeBefore().toLocalTime()
              + " or from "
              + t.getDateTimeAfter().toLocalTime());
    }
    ZoneOffset first = offsets.get(0);
    ZoneOffset second = offsets.get(1);
    Duration gap = Duration.between(local.toInstant(first), local.toInstant(second));
    return new Resolved(
        local.toInstant(first),
        first,
        local
            + " happens twice in "
            + zone.getId()
            + " (its clocks go back from "
            + t.getDateTimeBefore().toLocalTime()
            + " to "
            + t.getDateTimeAfter().toLocalTime()
            + " that day): the first, at "
            + first
            + ", is taken; the second, at "
            + second
            + ", is "
            + human(gap)
            + " later");
  }

  private static String human(Duration d) {
    long minutes = d.toMinutes();
    return minutes % 60 == 0 ? (minutes / 60) + " h" : minutes + " min";
  }
}
