package dev.weir.flow.trigger;

import dev.weir.util.Suggest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Reads the properties of a {@code type: schedule} trigger. */
final class ScheduleReader {
  static final List<String> KEYS = List.of("cron", "timezone", "catchup", "start", "end");

  private final Fields f;

  ScheduleReader(Fields f) {
    this.f = f;
  }

  ScheduleTrigger read(String id, Map<String, String> inputs, boolean disabled) {
    int before = f.problemCount();
    CronSchedule cron = cron(id);
    ZoneId zone = zone();
    Catchup catchup = f.choice("catchup", Catchup.class, Catchup.LATEST);
    ZoneId z = zone == null ? ZoneOffset.UTC : zone;
    Instant start = instant("start", z);
    Instant end = instant("end", z);
    if (start != null && end != null && !end.isAfter(start)) {
      f.problem(
          "end",
          "end '"
              + f.text("end")
              + "' is not after start '"
              + f.text("start")
              + "', so the schedule would never fire; move end later or remove it");
      return null;
    }
    if (f.problemCount() != before) {
      return null;
    }
    return new ScheduleTrigger(id, cron, z, catchup, start, end, inputs, disabled);
  }

  private CronSchedule cron(String id) {
    String text = f.requiredText("cron", "schedule trigger '" + id + "'", "\"0 5 * * *\"");
    if (text == null) {
      return null;
    }
    try {
      return CronSchedule.parse(text);
    } catch (IllegalArgumentException e) {
      f.problem("cron", e.getMessage());
      return null;
    }
  }

  private ZoneId zone() {
    String text = f.text("timezone");
    if (text == null) {
      return null;
    }
    try {
      return ZoneId.of(text.strip());
    } catch (DateTimeException e) {
      f.problem(
          "timezone",
          "unknown timezone '"
              + text
              + "'"
              + Suggest.didYouMean(text, ZoneId.getAvailableZoneIds())
              + "; use a tz database name like Europe/Berlin or America/New_York, or UTC");
      return null;
    }
  }

  /** A date (midnight in the trigger's zone) or a date-time with an offset. */
  private Instant instant(String key, ZoneId zone) {
    String text = f.text(key);
    if (text == null) {
      return null;
    }
    String t = text.strip();
    try {
      return LocalDate.parse(t).atStartOfDay(zone).toInstant();
    } catch (DateTimeParseException e) {
      // not a date; try a date-time
    }
    try {
      return ZonedDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // reported below
    }
    String message;
    try {
      LocalDateTime.parse(t);
      message =
          " has no offset; add one, e.g. '"
              + t
              + "Z' or '"
              + t
              + "+01:00', or write a date (midnight in the trigger's timezone)";
    } catch (DateTimeParseException e) {
      message =
          " is neither a date like 2026-01-01 (midnight in the trigger's timezone) nor a date-time"
              + " with offset like 2026-01-01T05:00+01:00";
    }
    f.problem(key, key + " '" + text + "'" + message);
    return null;
  }
}
