package dev.weir.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * A wall-clock time read in a zone: one instant, none in a DST gap, the first of two in an overlap.
 */
class WallClockTest {
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void an_ordinary_time_reads_with_its_zones_offset_of_that_day() {
    var winter = WallClock.resolve(LocalDateTime.parse("2026-03-01T09:30"), NEW_YORK);
    assertThat(winter.instant()).isEqualTo(Instant.parse("2026-03-01T14:30:00Z"));
    assertThat(winter.note()).isNull();
    var summer = WallClock.resolve(LocalDateTime.parse("2026-07-01T09:30"), NEW_YORK);
    assertThat(summer.instant()).isEqualTo(Instant.parse("2026-07-01T13:30:00Z"));
  }

  @Test
  void a_time_the_clocks_skip_is_refused_saying_which_times_exist() {
    assertThatThrownBy(() -> WallClock.resolve(LocalDateTime.parse("2026-03-08T02:30"), NEW_YORK))
        .isInstanceOf(WeirException.class)
        .hasMessage(
            "2026-03-08T02:30 does not exist in America/New_York: that day its clocks jump from"
                + " 02:00 to 03:00 (-05:00 to -04:00); pick a time before 02:00 or from 03:00");
  }

  @Test
  void a_time_the_clocks_pass_twice_takes_the_first_and_names_the_second() {
    var r = WallClock.resolve(LocalDateTime.parse("2026-11-01T01:30"), NEW_YORK);
    assertThat(r.instant()).isEqualTo(Instant.parse("2026-11-01T05:30:00Z"));
    assertThat(r.note())
        .isEqualTo(
            "2026-11-01T01:30 happens twice in America/New_York (its clocks go back from 02:00 to"
                + " 01:00 that day): the first, at -04:00, is taken; the second, at -05:00, is 1 h"
                + " later");
    // Lord Howe Island moves its clocks by half an hour
    var half =
        WallClock.resolve(
            LocalDateTime.parse("2026-04-05T01:45"), ZoneId.of("Australia/Lord_Howe"));
    assertThat(half.note()).endsWith("is 30 min later");
  }
}
