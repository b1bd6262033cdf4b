package dev.weir.flow.trigger;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A five-field UNIX cron expression ({@code minute hour day-of-month month day-of-week}) or a macro
 * ({@code @hourly}, {@code @daily}, ...), read as wall-clock time in a zone. Pure: no clock inside.
 *
 * <p>cron-utils only matches wall-clock times here: it walks a calendar without DST (UTC), and this
 * class turns each matching wall time into an instant itself, because cron-utils' own zone handling
 * drops wall times that fall in a DST gap. The rules, which are those of {@code
 * ZonedDateTime.ofLocal(wall, zone, null)}:
 *
 * <ul>
 *   <li>a wall time that does not exist (spring forward) fires once, shifted forward by the length
 *       of the gap: 02:30 in Europe/Berlin on 2026-03-29 fires at 03:30 CEST (01:30Z);
 *   <li>a wall time that happens twice (fall back) fires once, at its first occurrence: 02:30 in
 *       Europe/Berlin on 2026-10-25 fires at 02:30 CEST (00:30Z), not again an hour later;
 *   <li>wall times that land on the same instant are one slot: hourly on a spring-forward day,
 *       02:00 shifted to 03:00 and 03:00 itself fire once.
 * </ul>
 *
 * <p>Shifted gap times make the order of instants differ from the order of wall times for up to the
 * length of a gap, so the searches below look that far beyond the first candidate.
 */
public final class CronSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final Duration NEAR = Duration.ofDays(2);

  /** Macros and what they stand for. */
  public static final Map<String, String> MACROS = macros();

  /** A cron that works, for messages. */
  public static final String EXAMPLE = "cron: \"0 5 * * *\" (05:00 every day)";

  private final String expression;
  private final ExecutionTime execution;

  private CronSchedule(String expression, Cron cron) {
    this.expression = expression;
    this.execution = ExecutionTime.forCron(cron);
  }

  private static Map<String, String> macros() {
    var m = new LinkedHashMap<String, String>();
    m.put("@yearly", "0 0 1 1 *");
    m.put("@annually", "0 0 1 1 *");
    m.put("@monthly", "0 0 1 * *");
    m.put("@weekly", "0 0 * * 0");
    m.put("@daily", "0 0 * * *");
    m.put("@midnight", "0 0 * * *");
    m.put("@hourly", "0 * * * *");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * @throws IllegalArgumentException naming the expression, what is wrong with it and an example
   */
  public static CronSchedule parse(String expression) {
    String text = expression == null ? "" : expression.strip();
    String fields = text.startsWith("@") ? MACROS.get(text.toLowerCase(Locale.ROOT)) : text;
    if (fields == null) {
      throw invalid(
          text, "unknown macro; known: " + String.join(", ", MACROS.keySet()) + dym(text));
    }
    Cron cron;
    try {
      cron = PARSER.parse(fields);
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw invalid(text, reason(fields, e.getMessage()));
    }
    var schedule = new CronSchedule(text, cron);
    if (schedule.wallAfter(LocalDateTime.of(2000, 1, 1, 0, 0)).isEmpty()) {
      throw invalid(text, "it never fires (no date matches it)");
    }
    return schedule;
  }

  private static String dym(String macro) {
    return dev.weir.util.Suggest.didYouMean(macro, MACROS.keySet());
  }

  private static IllegalArgumentException invalid(String text, String reason) {
    return new IllegalArgumentException(
        "invalid cron '"
            + text
            + "': "
            + reason
            + "; write five fields, minute hour day-of-month month day-of-week, or a macro"
            + " (@hourly, @daily, @weekly, @monthly, @yearly), e.g. "
            + EXAMPLE);
  }

  /** cron-utils' reason, without its preamble and in the words of a five-field cron. */
  private static String reason(String fields, String message) {
    String m = message == null ? "not a cron expression" : message;
    m =
        m.replace("Failed to parse cron expression. ", "")
            .replace("Failed to parse cron expression", "");
    if (m.startsWith("Cron expression contains")) {
      int n = fields.isBlank() ? 0 : fields.split("\\s+").length;
      return "it has "
          + n
          + (n == 1 ? " field" : " fields")
          + " but a cron has 5"
          + (n == 6 ? " (seconds are not supported)" : "");
    }
    if (m.equals("Empty expression!")) {
      return "it is empty";
    }
    m = m.strip();
    return m.isEmpty()
        ? "not a cron expression"
        : Character.toLowerCase(m.charAt(0)) + m.substring(1).replaceAll("[.!]$", "");
  }

  /** The expression as written (a macro stays a macro). */
  public String expression() {
    return expression;
  }

  /** The first slot strictly after {@code after}. */
  public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    // a wall time up to one gap before after's own can be shifted past it
    LocalDateTime wall = LocalDateTime.ofInstant(after, zone).minus(slack(rules, after));
    wall = wall.truncatedTo(ChronoUnit.MINUTES);
    Instant best = null;
    LocalDateTime stop = null;
    while (true) {
      Optional<LocalDateTime> next = wallAfter(wall);
      if (next.isEmpty() || (stop != null && next.get().isAfter(stop))) {
        return Optional.ofNullable(best);
      }
      wall = next.get();
      Instant at = fire(wall, zone);
      if (at.isAfter(after) && (best == null || at.isBefore(best))) {
        if (best == null) {
          stop = wall.plus(slack(rules, at));
        }
        best = at;
      }
    }
  }

  /** The last slot at or before {@code t}. */
  public Optional<Instant> latestAtOrBefore(Instant t, ZoneId zone) {
    ZoneRules rules = zone.getRules();
    // a wall time up to one overlap after t's own can fire (at its first occurrence) before t
    LocalDateTime wall = LocalDateTime.ofInstant(t, zone).plus(slack(rules, t));
    wall = wall.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    Instant best = null;
    LocalDateTime stop = null;
    while (true) {
      Optional<LocalDateTime> previous = wallBefore(wall);
      if (previous.isEmpty() || (stop != null && previous.get().isBefore(stop))) {
        return Optional.ofNullable(best);
      }
      wall = previous.get();
      Instant at = fire(wall, zone);
      if (!at.isAfter(t) && (best == null || at.isAfter(best))) {
        if (best == null) {
          stop = wall.minus(slack(rules, at));
        }
        best = at;
      }
    }
  }

  /** The slots in {@code (fromExclusive, toInclusive]}, in order, at most {@code max}. */
  public List<Instant> slotsBetween(
      Instant fromExclusive, Instant toInclusive, ZoneId zone, int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be 0 or more, got " + max);
    }
    var out = new ArrayList<Instant>();
    Instant cursor = fromExclusive;
    while (out.size() < max) {
      Optional<Instant> next = nextAfter(cursor, zone);
      if (next.isEmpty() || next.get().isAfter(toInclusive)) {
        break;
      }
      out.add(next.get());
      cursor = next.get();
    }
    return out;
  }

  /** When a wall time fires: shifted forward in a gap, the first occurrence in an overlap. */
  static Instant fire(LocalDateTime wall, ZoneId zone) {
    return ZonedDateTime.ofLocal(wall, zone, null).toInstant();
  }

  /**
   * How far instant order can differ from wall-time order near {@code near}: the offset changes
   * within two days of it (zero in a zone without transitions then).
   */
  private static Duration slack(ZoneRules rules, Instant near) {
    Duration total = Duration.ZERO;
    Instant until = near.plus(NEAR);
    ZoneOffsetTransition t = rules.nextTransition(near.minus(NEAR));
    while (t != null && t.getInstant().isBefore(until)) {
      total = total.plus(t.getDuration().abs());
      t = rules.nextTransition(t.getInstant());
    }
    return total;
  }

  private Optional<LocalDateTime> wallAfter(LocalDateTime wall) {
    return execution.nextExecution(wall.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
  }

  private Optional<LocalDateTime> wallBefore(LocalDateTime wall) {
    return execution.lastExecution(wall.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronSchedule c && c.expression.equals(expression);
  }

  @Override
  public int hashCode() {
    return expression.hashCode();
  }

  @Override
  public String toString() {
    return expression;
  }
}
