package dev.weir.flow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static Instant at(String utc) {
    return Instant.parse(utc);
  }

  /** The distinct slots whose instant lies in the local calendar day {@code day}. */
  private static List<Instant> slotsOnLocalDay(String cron, LocalDate day, ZoneId zone) {
    Instant from = day.atStartOfDay(zone).toInstant();
    Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
    return CronSchedule.parse(cron).slotsBetween(from.minusNanos(1), to.minusNanos(1), zone, 1000);
  }

  @Test
  void a_daily_time_in_the_spring_forward_gap_fires_once_shifted_by_the_gap() {
    // 02:30 does not exist in Berlin on 2026-03-29 (02:00 CET jumps to 03:00 CEST): it fires at
    // 03:30 CEST, which is 01:30Z; the days around it fire at 02:30 as usual
    var cron = CronSchedule.parse("30 2 * * *");

    assertThat(
            cron.slotsBetween(at("2026-03-27T12:00:00Z"), at("2026-03-30T12:00:00Z"), BERLIN, 10))
        .containsExactly(
            at("2026-03-28T01:30:00Z"), // 02:30 CET
            at("2026-03-29T01:30:00Z"), // 03:30 CEST, the shifted 02:30
            at("2026-03-30T00:30:00Z")); // 02:30 CEST
  }

  @Test
  void a_daily_time_in_the_fall_back_overlap_fires_once_at_its_first_occurrence() {
    // 02:30 happens twice in Berlin on 2026-10-25: at 02:30 CEST (00:30Z) and 02:30 CET (01:30Z)
    var cron = CronSchedule.parse("30 2 * * *");

    assertThat(
            cron.slotsBetween(at("2026-10-24T12:00:00Z"), at("2026-10-26T12:00:00Z"), BERLIN, 10))
        .containsExactly(at("2026-10-25T00:30:00Z"), at("2026-10-26T01:30:00Z"));
    assertThat(cron.nextAfter(at("2026-10-25T00:30:00Z"), BERLIN))
        .as("the second 02:30 is not a slot")
        .contains(at("2026-10-26T01:30:00Z"));
  }

  /**
   * Hourly ("0 * * * *") has 24 wall times every day. On a spring-forward day one of them (02:00 in
   * both zones) does not exist and is shifted onto 03:00, which is a slot of its own: the two are
   * one slot, so the 23-hour day has 23 slots, an hour apart. On a fall-back day one hour of wall
   * times happens twice (02:00 in Berlin, 01:00 in New York) but fires once, at its first
   * occurrence, so the 25-hour day has 24 slots, and two hours pass between that slot and the next.
   */
  @ParameterizedTest(name = "{0}: {1} has 23 slots, {2} has 24")
  @CsvSource({
    "Europe/Berlin, 2026-03-29, 2026-10-25, 2",
    "America/New_York, 2026-03-08, 2026-11-01, 1"
  })
  void hourly_fires_23_times_on_spring_forward_and_24_times_on_fall_back(
      String zoneName, LocalDate spring, LocalDate fall, int repeatedHour) {
    ZoneId zone = ZoneId.of(zoneName);

    List<Instant> onSpring = slotsOnLocalDay("0 * * * *", spring, zone);
    List<Instant> onFall = slotsOnLocalDay("0 * * * *", fall, zone);

    assertThat(onSpring).hasSize(23).doesNotHaveDuplicates().isSorted();
    assertThat(Duration.between(onSpring.get(0), onSpring.get(22)))
        .as("every slot an hour apart: the shifted 02:00 is not a separate slot")
        .isEqualTo(Duration.ofHours(22));
    assertThat(onFall).hasSize(24).doesNotHaveDuplicates().isSorted();
    ZonedDateTime repeated = fall.atTime(repeatedHour, 0).atZone(zone).withEarlierOffsetAtOverlap();
    assertThat(onFall)
        .contains(repeated.toInstant())
        .doesNotContain(repeated.withLaterOffsetAtOverlap().toInstant());
    assertThat(Duration.between(onFall.get(repeatedHour), onFall.get(repeatedHour + 1)))
        .as("from the repeated hour's first occurrence to the hour after it")
        .isEqualTo(Duration.ofHours(2));
  }

  @Test
  void a_slot_shifted_out_of_the_gap_comes_before_later_wall_times_that_fire_earlier() {
    // every 20 minutes: 02:00, 02:20, 02:40 are shifted to 03:00, 03:20, 03:40 CEST, the same
    // instants as the real 03:00, 03:20, 03:40
    var cron = CronSchedule.parse("*/20 * * * *");

    assertThat(
            cron.slotsBetween(at("2026-03-29T00:30:00Z"), at("2026-03-29T02:10:00Z"), BERLIN, 20))
        .containsExactly(
            at("2026-03-29T00:40:00Z"),
            at("2026-03-29T01:00:00Z"),
            at("2026-03-29T01:20:00Z"),
            at("2026-03-29T01:40:00Z"),
            at("2026-03-29T02:00:00Z"));
    assertThat(cron.nextAfter(at("2026-03-29T01:10:00Z"), BERLIN))
        .as("from inside the shifted hour")
        .contains(at("2026-03-29T01:20:00Z"));
  }

  @Test
  void latest_at_or_before_sees_the_first_occurrence_from_inside_the_second() {
    var cron = CronSchedule.parse("30 2 * * *");

    // 01:15Z is 02:15 CET, the second pass through 02:xx; 02:30 already fired at 00:30Z
    assertThat(cron.latestAtOrBefore(at("2026-10-25T01:15:00Z"), BERLIN))
        .contains(at("2026-10-25T00:30:00Z"));
    assertThat(cron.latestAtOrBefore(at("2026-03-29T01:29:59Z"), BERLIN))
        .contains(at("2026-03-28T01:30:00Z"));
    assertThat(cron.latestAtOrBefore(at("2026-03-29T01:30:00Z"), BERLIN))
        .as("at a slot: that slot")
        .contains(at("2026-03-29T01:30:00Z"));
  }

  @Test
  void with_both_day_fields_restricted_either_day_fires_as_in_unix_cron() {
    // 05:00 on the 1st of the month or on a Monday
    var cron = CronSchedule.parse("0 5 1 * 1");

    assertThat(
            cron.slotsBetween(
                at("2026-03-28T00:00:00Z"), at("2026-04-07T00:00:00Z"), ZoneOffset.UTC, 10))
        .containsExactly(
            at("2026-03-30T05:00:00Z"), // Monday
            at("2026-04-01T05:00:00Z"), // the 1st, a Wednesday
            at("2026-04-06T05:00:00Z")); // Monday
  }

  @Test
  void next_after_is_strictly_after() {
    var cron = CronSchedule.parse("0 5 * * *");

    assertThat(cron.nextAfter(at("2026-06-01T05:00:00Z"), ZoneOffset.UTC))
        .contains(at("2026-06-02T05:00:00Z"));
    assertThat(cron.nextAfter(at("2026-06-01T04:59:59.999999999Z"), ZoneOffset.UTC))
        .contains(at("2026-06-01T05:00:00Z"));
    assertThat(cron.nextAfter(at("2026-06-01T05:00:00.000000001Z"), ZoneOffset.UTC))
        .contains(at("2026-06-02T05:00:00Z"));
  }

  @Test
  void slots_between_excludes_from_includes_to_and_stops_at_max() {
    var cron = CronSchedule.parse("0 * * * *");

    assertThat(
            cron.slotsBetween(
                at("2026-06-01T01:00:00Z"), at("2026-06-01T03:00:00Z"), ZoneOffset.UTC, 10))
        .containsExactly(at("2026-06-01T02:00:00Z"), at("2026-06-01T03:00:00Z"));
    assertThat(
            cron.slotsBetween(
                at("2026-06-01T01:00:00Z"), at("2026-06-02T01:00:00Z"), ZoneOffset.UTC, 3))
        .containsExactly(
            at("2026-06-01T02:00:00Z"), at("2026-06-01T03:00:00Z"), at("2026-06-01T04:00:00Z"));
  }

  @Test
  void macros_stand_for_their_five_fields() {
    Instant from = at("2026-02-10T10:00:00Z");
    Instant to = at("2028-02-10T10:00:00Z");
    for (var e : CronSchedule.MACROS.entrySet()) {
      var macro = CronSchedule.parse(e.getKey());
      var fields = CronSchedule.parse(e.getValue());
      assertThat(macro.slotsBetween(from, to, BERLIN, 50))
          .as(e.getKey())
          .isEqualTo(fields.slotsBetween(from, to, BERLIN, 50));
      assertThat(macro.expression()).isEqualTo(e.getKey());
    }
    assertThat(CronSchedule.parse("@yearly").nextAfter(from, BERLIN))
        .contains(at("2026-12-31T23:00:00Z")); // 2027-01-01 00:00 CET
    assertThat(CronSchedule.parse("@hourly").nextAfter(from, BERLIN))
        .contains(at("2026-02-10T11:00:00Z"));
  }

  @Test
  void weekly_is_sunday_midnight_in_the_zone_on_both_sides_of_a_dst_change() {
    var weekly = CronSchedule.parse("@weekly");

    assertThat(
            weekly.slotsBetween(at("2026-03-23T00:00:00Z"), at("2026-04-10T00:00:00Z"), BERLIN, 10))
        .containsExactly(
            at("2026-03-28T23:00:00Z"), // Sunday 2026-03-29 00:00 CET
            at("2026-04-04T22:00:00Z")); // Sunday 2026-04-05 00:00 CEST
    assertThat(weekly.nextAfter(at("2026-03-23T00:00:00Z"), ZoneId.of("Asia/Tokyo")))
        .contains(at("2026-03-28T15:00:00Z"));
  }

  @Test
  void a_cron_that_never_fires_has_no_slots_but_one_that_rarely_fires_has() {
    var leap = CronSchedule.parse("0 0 29 2 *");
    assertThat(leap.nextAfter(at("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
        .contains(at("2028-02-29T00:00:00Z"));
    assertThat(leap.latestAtOrBefore(at("2027-12-31T00:00:00Z"), ZoneOffset.UTC))
        .contains(at("2024-02-29T00:00:00Z"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "61 5 * * *   | invalid cron '61 5 * * *': value 61 not in range [0, 59]",
        "0 0 5 * * *  | invalid cron '0 0 5 * * *': it has 6 fields but a cron has 5 (seconds are"
            + " not supported)",
        "0 5 * *      | invalid cron '0 5 * *': it has 4 fields but a cron has 5",
        "@reboot      | invalid cron '@reboot': unknown macro; known: @yearly, @annually, @monthly,"
            + " @weekly, @daily, @midnight, @hourly",
        "@dayly       | invalid cron '@dayly': unknown macro; known: @yearly, @annually, @monthly,"
            + " @weekly, @daily, @midnight, @hourly; did you mean '@daily' or '@yearly'?",
        "0 5 31 2 *   | invalid cron '0 5 31 2 *': it never fires (no date matches it)",
        "0 5 L * *    | invalid cron '0 5 L * *': invalid chars in expression! Expression: L"
            + " Invalid chars: L",
      })
  void a_bad_cron_names_the_expression_the_reason_and_an_example(String cron, String message) {
    assertThatThrownBy(() -> CronSchedule.parse(cron))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            message
                + "; write five fields, minute hour day-of-month month day-of-week, or a macro"
                + " (@hourly, @daily, @weekly, @monthly, @yearly), e.g. cron: \"0 5 * * *\""
                + " (05:00 every day)");
  }

  /**
   * The reference: every wall minute of a few days around each DST change, matched by cron-utils
   * and turned into an instant with {@code ofLocal(wall, zone, null)}, deduplicated and sorted. The
   * searches must find exactly these.
   */
  @ParameterizedTest(name = "{0} in {1} around {2}")
  @CsvSource({
    "30 2 * * *,        Europe/Berlin,    2026-03-29",
    "30 2 * * *,        Europe/Berlin,    2026-10-25",
    "*/7 * * * *,       Europe/Berlin,    2026-03-29",
    "0 * * * *,         America/New_York, 2026-11-01",
    "15 1-3 * * *,      America/New_York, 2026-11-01",
    "45 0 * * 0,        America/Santiago, 2026-09-06",
    "0 0 * * *,         America/Santiago, 2026-09-06",
    "15 2 * * 0,        Australia/Lord_Howe, 2026-10-04",
    "59 23 * * *,       Europe/London,    2026-03-29",
  })
  void searches_agree_with_a_minute_by_minute_scan(String cron, String zoneName, LocalDate day) {
    ZoneId zone = ZoneId.of(zoneName);
    var schedule = CronSchedule.parse(cron);
    var reference = reference(cron, day, zone);
    Instant from = day.minusDays(1).atStartOfDay(zone).toInstant();
    Instant to = day.plusDays(2).atStartOfDay(zone).toInstant();

    assertThat(schedule.slotsBetween(from, to, zone, 10_000))
        .containsExactlyElementsOf(reference.subSet(from, false, to, true));
    for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofMinutes(13))) {
      assertThat(schedule.nextAfter(t, zone)).as("next after %s", t).contains(reference.higher(t));
      assertThat(schedule.latestAtOrBefore(t.plus(Duration.ofDays(1)), zone))
          .as("latest at or before %s", t.plus(Duration.ofDays(1)))
          .contains(reference.floor(t.plus(Duration.ofDays(1))));
    }
  }

  private static TreeSet<Instant> reference(String cron, LocalDate day, ZoneId zone) {
    var execution =
        ExecutionTime.forCron(
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX)).parse(cron));
    var out = new TreeSet<Instant>();
    LocalDateTime end = day.plusDays(10).atStartOfDay();
    for (LocalDateTime w = day.minusDays(10).atStartOfDay();
        w.isBefore(end);
        w = w.plusMinutes(1)) {
      if (execution.isMatch(w.atZone(ZoneOffset.UTC))) {
        out.add(ZonedDateTime.ofLocal(w, zone, null).toInstant());
      }
    }
    return out;
  }
}
