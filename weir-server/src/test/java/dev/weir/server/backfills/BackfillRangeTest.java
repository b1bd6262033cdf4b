package dev.weir.server.backfills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import dev.weir.flow.trigger.CronSchedule;
import dev.weir.flow.trigger.ScheduleTrigger;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BackfillRangeTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  static ScheduleTrigger schedule(String cron, ZoneId zone) {
    return new ScheduleTrigger("t", CronSchedule.parse(cron), zone, null, null, null, null, false);
  }

  @Test
  void dates_are_whole_days_in_the_triggers_zone() {
    var r = BackfillRange.parse("2026-03-29", "2026-03-29", BERLIN);
    assertThat(r.from()).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
    // a 23-hour day: it ends at midnight CEST, 22:00 UTC
    assertThat(r.to()).isEqualTo(Instant.parse("2026-03-29T21:59:59.999999Z"));
    assertThat(r.slots(schedule("@hourly", BERLIN))).hasSize(23);
  }

  @Test
  void date_times_are_wall_clock_time_in_the_zone_unless_they_carry_an_offset() {
    assertThat(BackfillRange.parse("2026-01-10T05:00", "2026-01-10T07:00+01:00", BERLIN))
        .isEqualTo(
            new BackfillRange(
                Instant.parse("2026-01-10T04:00:00Z"), Instant.parse("2026-01-10T06:00:00Z")));
    assertThat(BackfillRange.parse("2026-01-10T04:00Z", "2026-01-10", BERLIN).from())
        .isEqualTo(Instant.parse("2026-01-10T04:00:00Z"));
  }

  @Test
  void both_bounds_are_inclusive() {
    var r = BackfillRange.parse("2026-01-10T05:00Z", "2026-01-12T05:00Z", ZoneId.of("UTC"));
    assertThat(r.slots(schedule("0 5 * * *", ZoneId.of("UTC"))))
        .containsExactly(
            Instant.parse("2026-01-10T05:00:00Z"),
            Instant.parse("2026-01-11T05:00:00Z"),
            Instant.parse("2026-01-12T05:00:00Z"));
  }

  @Test
  void a_fall_back_day_fires_its_repeated_hour_once() {
    var r = BackfillRange.parse("2026-10-25", "2026-10-25", BERLIN);
    assertThat(r.slots(schedule("30 2 * * *", BERLIN)))
        .containsExactly(Instant.parse("2026-10-25T00:30:00Z"));
    // hourly: 24 slots, as the schedule fires them (02:00 once, at its first occurrence)
    assertThat(r.slots(schedule("@hourly", BERLIN))).hasSize(24);
  }

  @Test
  void bad_bounds_say_which_and_what_would_work() {
    assertThatThrownBy(() -> BackfillRange.parse("2026-01-02", "2026-01-01", BERLIN))
        .isInstanceOf(WeirException.class)
        .hasMessage("'from' (2026-01-02) is after 'to' (2026-01-01); give the earlier date first");
    assertThatThrownBy(() -> BackfillRange.parse("2026-01-02", "2026/01/03", BERLIN))
        .hasMessageStartingWith("'to' must be a date (2026-03-26) or a date-time")
        .hasMessageEndingWith("got '2026/01/03'");
    assertThatThrownBy(() -> BackfillRange.parse(null, "2026-01-03", BERLIN))
        .hasMessageStartingWith("'from' is required");
  }
}
