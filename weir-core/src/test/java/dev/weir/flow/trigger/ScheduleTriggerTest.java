package dev.weir.flow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Catch-up policies and start/end bounds of {@link ScheduleTrigger#evaluate}. */
class ScheduleTriggerTest {
  private static final int MAX = 100;

  private static Instant at(String utc) {
    return Instant.parse(utc);
  }

  private static ScheduleTrigger daily(Catchup catchup) {
    return schedule("0 5 * * *", ZoneOffset.UTC, catchup, null, null);
  }

  private static ScheduleTrigger schedule(
      String cron, ZoneId zone, Catchup catchup, Instant start, Instant end) {
    return new ScheduleTrigger(
        "s", CronSchedule.parse(cron), zone, catchup, start, end, Map.of(), false);
  }

  @Test
  void the_next_slot_respects_start_and_end_and_is_empty_once_the_schedule_is_over() {
    var open = daily(Catchup.LATEST);
    assertThat(open.nextSlotAfter(at("2026-06-01T05:00:00Z"))).contains(at("2026-06-02T05:00:00Z"));
    assertThat(open.nextSlotAfter(at("2026-06-01T04:59:59Z"))).contains(at("2026-06-01T05:00:00Z"));

    var bounded =
        schedule(
            "0 5 * * *",
            ZoneOffset.UTC,
            Catchup.LATEST,
            at("2026-07-01T05:00:00Z"),
            at("2026-07-03T05:00:00Z"));
    assertThat(bounded.nextSlotAfter(at("2026-06-01T00:00:00Z")))
        .contains(at("2026-07-01T05:00:00Z"));
    assertThat(bounded.nextSlotAfter(at("2026-07-02T06:00:00Z")))
        .contains(at("2026-07-03T05:00:00Z"));
    assertThat(bounded.nextSlotAfter(at("2026-07-03T05:00:00Z"))).isEmpty();
  }

  @Test
  void all_fires_every_missed_slot_oldest_first() {
    var due =
        daily(Catchup.ALL).evaluate(at("2026-06-01T05:00:00Z"), at("2026-06-04T06:00:00Z"), MAX);

    assertThat(due.slots())
        .containsExactly(
            at("2026-06-02T05:00:00Z"), at("2026-06-03T05:00:00Z"), at("2026-06-04T05:00:00Z"));
    assertThat(due.mark()).isEqualTo(at("2026-06-04T06:00:00Z"));
  }

  @Test
  void all_stops_at_max_and_the_mark_lets_the_next_call_continue() {
    var trigger = daily(Catchup.ALL);
    Instant now = at("2026-06-04T06:00:00Z");

    var first = trigger.evaluate(at("2026-06-01T05:00:00Z"), now, 2);
    var second = trigger.evaluate(first.mark(), now, 2);

    assertThat(first.slots())
        .containsExactly(at("2026-06-02T05:00:00Z"), at("2026-06-03T05:00:00Z"));
    assertThat(first.mark()).isEqualTo(at("2026-06-03T05:00:00Z"));
    assertThat(second.slots()).containsExactly(at("2026-06-04T05:00:00Z"));
    assertThat(second.mark()).isEqualTo(now);
  }

  @Test
  void latest_fires_only_the_newest_missed_slot() {
    var due =
        daily(Catchup.LATEST).evaluate(at("2026-06-01T05:00:00Z"), at("2026-06-04T06:00:00Z"), MAX);

    assertThat(due.slots()).containsExactly(at("2026-06-04T05:00:00Z"));
    assertThat(due.mark()).isEqualTo(at("2026-06-04T06:00:00Z"));
  }

  @ParameterizedTest
  @EnumSource(Catchup.class)
  void nothing_fires_when_no_slot_passed_since_the_mark(Catchup catchup) {
    var due = daily(catchup).evaluate(at("2026-06-04T05:00:00Z"), at("2026-06-05T04:59:59Z"), MAX);

    assertThat(due.slots()).isEmpty();
    assertThat(due.mark()).isEqualTo(at("2026-06-05T04:59:59Z"));
  }

  @Test
  void none_fires_a_slot_that_came_due_while_the_scheduler_was_looking() {
    var trigger = daily(Catchup.NONE);

    assertThat(trigger.due(at("2026-06-04T04:59:50Z"), at("2026-06-04T05:00:01Z"), MAX))
        .containsExactly(at("2026-06-04T05:00:00Z"));
    assertThat(trigger.due(at("2026-06-03T05:00:00Z"), at("2026-06-04T05:00:00Z"), MAX))
        .as("the mark is the slot before: nothing was missed in between")
        .containsExactly(at("2026-06-04T05:00:00Z"));
  }

  @Test
  void none_fires_nothing_once_two_slots_were_missed_and_just_advances() {
    var due =
        daily(Catchup.NONE).evaluate(at("2026-06-01T05:00:00Z"), at("2026-06-04T06:00:00Z"), MAX);

    assertThat(due.slots()).isEmpty();
    assertThat(due.mark()).isEqualTo(at("2026-06-04T06:00:00Z"));
  }

  @ParameterizedTest
  @EnumSource(Catchup.class)
  void a_new_schedule_without_start_fires_nothing_for_the_past(Catchup catchup) {
    var due = daily(catchup).evaluate(null, at("2026-06-04T06:00:00Z"), MAX);

    assertThat(due.slots()).isEmpty();
    assertThat(due.mark()).isEqualTo(at("2026-06-04T06:00:00Z"));
  }

  @Test
  void a_new_schedule_with_start_in_the_past_catches_up_from_start_inclusive() {
    Instant start = at("2026-06-02T05:00:00Z"); // exactly a slot
    Instant now = at("2026-06-04T06:00:00Z");

    assertThat(schedule("0 5 * * *", ZoneOffset.UTC, Catchup.ALL, start, null).due(null, now, MAX))
        .containsExactly(
            at("2026-06-02T05:00:00Z"), at("2026-06-03T05:00:00Z"), at("2026-06-04T05:00:00Z"));
    assertThat(
            schedule("0 5 * * *", ZoneOffset.UTC, Catchup.LATEST, start, null).due(null, now, MAX))
        .containsExactly(at("2026-06-04T05:00:00Z"));
    assertThat(schedule("0 5 * * *", ZoneOffset.UTC, Catchup.NONE, start, null).due(null, now, MAX))
        .as("none never catches up, even from start")
        .isEmpty();
  }

  @Test
  void slots_before_start_never_fire_even_when_the_mark_is_older() {
    var trigger =
        schedule("0 5 * * *", ZoneOffset.UTC, Catchup.ALL, at("2026-06-03T00:00:00Z"), null);

    assertThat(trigger.due(at("2026-05-20T00:00:00Z"), at("2026-06-04T06:00:00Z"), MAX))
        .containsExactly(at("2026-06-03T05:00:00Z"), at("2026-06-04T05:00:00Z"));
  }

  @Test
  void none_fires_the_first_slot_after_start_when_it_looked_before_start() {
    var trigger =
        schedule("0 5 * * *", ZoneOffset.UTC, Catchup.NONE, at("2026-06-03T00:00:00Z"), null);

    assertThat(trigger.due(at("2026-06-02T12:00:00Z"), at("2026-06-03T05:00:00Z"), MAX))
        .as("the slot on 06-02 is before start, so 06-03 05:00 is the only one")
        .containsExactly(at("2026-06-03T05:00:00Z"));
  }

  @Test
  void slots_after_end_never_fire() {
    Instant end = at("2026-06-03T05:00:00Z"); // inclusive
    Instant mark = at("2026-06-01T05:00:00Z");
    Instant now = at("2026-06-06T06:00:00Z");

    assertThat(schedule("0 5 * * *", ZoneOffset.UTC, Catchup.ALL, null, end).due(mark, now, MAX))
        .containsExactly(at("2026-06-02T05:00:00Z"), at("2026-06-03T05:00:00Z"));
    assertThat(schedule("0 5 * * *", ZoneOffset.UTC, Catchup.LATEST, null, end).due(mark, now, MAX))
        .containsExactly(at("2026-06-03T05:00:00Z"));
    assertThat(
            schedule("0 5 * * *", ZoneOffset.UTC, Catchup.LATEST, null, end)
                .due(at("2026-06-03T05:00:00Z"), now, MAX))
        .isEmpty();
  }

  @Test
  void the_mark_never_moves_back_when_the_clock_does() {
    var due =
        daily(Catchup.ALL).evaluate(at("2026-06-04T06:00:00Z"), at("2026-06-04T05:30:00Z"), MAX);

    assertThat(due.slots()).isEmpty();
    assertThat(due.mark()).isEqualTo(at("2026-06-04T06:00:00Z"));
  }

  /**
   * A scheduler that looks every 7 minutes across both Berlin DST changes fires every slot exactly
   * once, whatever the policy: nothing is ever missed, so there is nothing to catch up.
   */
  @ParameterizedTest
  @EnumSource(Catchup.class)
  void a_scheduler_that_keeps_looking_fires_every_slot_once(Catchup catchup) {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    for (String day : List.of("2026-03-28T12:00:00Z", "2026-10-24T12:00:00Z")) {
      var trigger = schedule("*/30 * * * *", berlin, catchup, null, null);
      Instant first = at(day);
      Instant last = first.plus(Duration.ofDays(1));
      var fired = new ArrayList<Instant>();
      Instant mark = trigger.evaluate(null, first, MAX).mark();
      for (Instant now = first; !now.isAfter(last); now = now.plus(Duration.ofMinutes(7))) {
        var due = trigger.evaluate(mark, now, MAX);
        fired.addAll(due.slots());
        mark = due.mark();
      }

      assertThat(fired)
          .as("%s from %s", catchup, day)
          .containsExactlyElementsOf(trigger.cron().slotsBetween(first, mark, berlin, 1000));
    }
  }

  @Test
  void max_must_be_positive() {
    assertThatThrownBy(() -> daily(Catchup.ALL).due(null, Instant.EPOCH, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max must be at least 1, got 0");
  }

  @Test
  void defaults_are_utc_and_latest() {
    var t =
        new ScheduleTrigger("s", CronSchedule.parse("@daily"), null, null, null, null, null, false);

    assertThat(t.timezone()).isEqualTo(ZoneOffset.UTC);
    assertThat(t.catchup()).isEqualTo(Catchup.LATEST);
    assertThat(t.inputs()).isEmpty();
    assertThat(t.type()).isEqualTo("schedule");
  }
}
