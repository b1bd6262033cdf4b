package dev.weir.server.backfills;

import dev.weir.WeirException;
import dev.weir.flow.trigger.ScheduleTrigger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The instants a backfill covers, both inclusive. A bound given as a date is a whole day in the
 * trigger's time zone ({@code from} its first instant, {@code to} its last); a date-time without an
 * offset is wall-clock time in that zone; one with an offset or {@code Z} is that instant.
 */
record BackfillRange(Instant from, Instant to) {
  static final int MAX_SLOTS = 10_000;
  private static final String MAX = String.format(Locale.ROOT, "%,d", MAX_SLOTS);
  private static final String FORMS =
      "a date (2026-03-26) or a date-time (2026-03-26T05:00, 2026-03-26T05:00+01:00,"
          + " 2026-03-26T04:00Z)";

  static BackfillRange parse(String from, String to, ZoneId zone) {
    Instant f = bound("from", from, zone, false);
    Instant t = bound("to", to, zone, true);
    if (f.isAfter(t)) {
      throw new WeirException(
          "'from' (" + from + ") is after 'to' (" + to + "); give the earlier date first");
    }
    return new BackfillRange(f, t);
  }

  private static Instant bound(String name, String text, ZoneId zone, boolean end) {
    if (text == null || text.isBlank()) {
      throw new WeirException(
          "'" + name + "' is required: " + FORMS + (end ? ", the last" : ", the first") + " day");
    }
    String s = text.strip();
    try {
      LocalDate day = LocalDate.parse(s);
      return end
          // the last microsecond of the day: what the store keeps exactly
          ? day.plusDays(1).atStartOfDay(zone).toInstant().minusNanos(1_000)
          : day.atStartOfDay(zone).toInstant();
    } catch (DateTimeParseException notADate) {
      // try the date-time forms
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException notOffset) {
      // try without an offset
    }
    try {
      return ZonedDateTime.ofLocal(LocalDateTime.parse(s), zone, null).toInstant();
    } catch (DateTimeParseException e) {
      throw new WeirException("'" + name + "' must be " + FORMS + ", got '" + text + "'");
    }
  }

  /**
   * The trigger's slots in the range, oldest first.
   *
   * @throws WeirException when there is none, or more than {@value #MAX_SLOTS}
   */
  List<Instant> slots(ScheduleTrigger trigger) {
    List<Instant> slots =
        trigger.cron().slotsBetween(from.minusNanos(1), to, trigger.timezone(), MAX_SLOTS + 1);
    String schedule =
        "schedule '"
            + trigger.id()
            + "' (cron \""
            + trigger.cron().expression()
            + "\", "
            + (trigger.timezone().equals(ZoneOffset.UTC) ? "UTC" : trigger.timezone().getId())
            + ")";
    if (slots.isEmpty()) {
      throw new WeirException(
          "no slot of " + schedule + " lies between " + from + " and " + to + "; nothing to do");
    }
    if (slots.size() > MAX_SLOTS) {
      throw new WeirException(
          "the range "
              + from
              + " to "
              + to
              + " holds more than "
              + MAX
              + " slots of "
              + schedule
              + "; a backfill may have at most "
              + MAX
              + ": split the range (the first "
              + MAX
              + " end at "
              + slots.get(MAX_SLOTS - 1)
              + ")");
    }
    return slots;
  }
}
