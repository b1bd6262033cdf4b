package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules driven by a settable clock: no test here sleeps for a slot. */
class ScheduleTest {
  @TempDir Path dir;
  ServerFixture fx;
  final SettableClock clock = SettableClock.at("2026-03-27T12:00:00Z");

  static String flow(String catchup) {
    return """
    id: nightly
    namespace: team.a
    tasks:
      - {id: work, type: test.ok, message: "for {{ run.logicalDate }}"}
    triggers:
      - id: at_0230
        type: schedule
        cron: "30 2 * * *"
        timezone: Europe/Berlin
        catchup: %s
    """
        .formatted(catchup);
  }

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private void startWith(String yaml) throws Exception {
    fx = new ServerFixture(dir, clock);
    fx.writeFlow("nightly.yaml", yaml);
    fx.start();
  }

  private void restart() {
    fx.close();
    fx.start();
  }

  private List<String> logicalDates() {
    return fx
        .server
        .store()
        .listRuns(new StateStore.RunQuery("team.a", "nightly", null, 100))
        .reversed()
        .stream()
        .map(r -> r.logicalDate().toString())
        .toList();
  }

  private void at(String instant) {
    clock.set(instant);
    fx.server.scheduler().tick();
  }

  @Test
  void a_0230_schedule_runs_once_on_the_spring_forward_and_the_fall_back_day() throws Exception {
    startWith(flow("none"));
    at("2026-03-27T12:00:01Z");
    at("2026-03-28T01:30:00Z"); // 02:30 CET
    at("2026-03-29T00:30:00Z"); // 01:30 CET: nothing yet
    at("2026-03-29T01:30:00Z"); // 02:30 does not exist: 03:30 CEST
    at("2026-03-29T02:30:00Z"); // an hour later: nothing more
    at("2026-03-30T00:30:00Z"); // 02:30 CEST
    assertThat(logicalDates())
        .containsExactly("2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z");

    clock.set("2026-10-24T12:00:00Z");
    fx.server.scheduler().tick(); // catchup none: the days in between are not caught up
    at("2026-10-25T00:30:00Z"); // 02:30 CEST, first time
    at("2026-10-25T01:30:00Z"); // 02:30 CET, the same wall time again: no second run
    at("2026-10-26T01:30:00Z"); // 02:30 CET
    assertThat(logicalDates()).hasSize(5).endsWith("2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z");
    for (RunRecord r :
        fx.server.store().listRuns(new StateStore.RunQuery("team.a", "nightly", null, 100))) {
      assertThat(fx.awaitRun(r.id()).path("trigger").asText()).isEqualTo("schedule");
    }
  }

  @Test
  void catchup_all_runs_every_slot_missed_while_the_server_was_down() throws Exception {
    startWith(flow("all"));
    at("2026-03-27T12:00:01Z");
    fx.close();
    clock.set("2026-03-30T12:00:00Z"); // down for three slots
    fx.start();
    fx.server.scheduler().tick();
    // created at one clock instant, so their order in the store is not the firing order
    assertThat(logicalDates())
        .containsExactlyInAnyOrder(
            "2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z");
  }

  @Test
  void catchup_latest_runs_only_the_newest_missed_slot() throws Exception {
    startWith(flow("latest"));
    at("2026-03-27T12:00:01Z");
    fx.close();
    clock.set("2026-03-30T12:00:00Z");
    fx.start();
    fx.server.scheduler().tick();
    assertThat(logicalDates()).containsExactly("2026-03-30T00:30:00Z");
  }

  @Test
  void catchup_none_runs_nothing_for_the_time_the_server_was_down() throws Exception {
    startWith(flow("none"));
    at("2026-03-27T12:00:01Z");
    fx.close();
    clock.set("2026-03-30T12:00:00Z");
    fx.start();
    fx.server.scheduler().tick();
    assertThat(logicalDates()).isEmpty();
    at("2026-03-31T00:30:00Z");
    assertThat(logicalDates()).containsExactly("2026-03-31T00:30:00Z");
  }

  @Test
  void a_slot_fires_once_even_when_a_restart_finds_it_again() throws Exception {
    startWith(flow("all"));
    at("2026-03-27T12:00:01Z");
    at("2026-03-28T01:30:00Z");
    assertThat(logicalDates()).hasSize(1);
    // a crash right after the run started, before the schedule's mark was saved
    fx.server
        .serverStore()
        .setMark("team.a", "nightly", "at_0230", java.time.Instant.parse("2026-03-27T12:00:01Z"));
    fx.server.scheduler().close();
    fx.abandon();
    fx.start();
    fx.server.scheduler().tick();
    restart();
    fx.server.scheduler().tick();
    assertThat(logicalDates()).containsExactly("2026-03-28T01:30:00Z");
  }

  @Test
  void a_disabled_flow_lets_its_slots_pass_and_does_not_catch_them_up() throws Exception {
    startWith(flow("all"));
    at("2026-03-27T12:00:01Z");
    fx.post("/flows/team.a/nightly/disable", "");
    at("2026-03-28T01:30:00Z");
    assertThat(logicalDates()).isEmpty();
    fx.post("/flows/team.a/nightly/enable", "");
    at("2026-03-28T02:00:00Z");
    assertThat(logicalDates()).isEmpty();
    at("2026-03-29T01:30:00Z");
    assertThat(logicalDates()).containsExactly("2026-03-29T01:30:00Z");
  }

  @Test
  void a_changed_cron_takes_effect_from_the_next_scan() throws Exception {
    startWith(flow("none"));
    at("2026-03-27T12:00:01Z");
    fx.writeFlow("nightly.yaml", flow("none").replace("30 2 * * *", "0 15 * * *"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.server.flows().all().iterator().next().revision() == 2);
    at("2026-03-27T14:00:00Z"); // 15:00 Berlin (CET)
    assertThat(logicalDates()).containsExactly("2026-03-27T14:00:00Z");
  }

  @Test
  void a_schedule_renders_its_inputs_with_the_slot() throws Exception {
    startWith(
        """
        id: nightly
        namespace: team.a
        inputs:
          - {id: slot, type: string}
        tasks:
          - {id: work, type: test.ok, message: "slot {{ inputs.slot }}"}
        triggers:
          - id: at_0230
            type: schedule
            cron: "30 2 * * *"
            timezone: Europe/Berlin
            inputs: {slot: "{{ trigger.slot }} by {{ trigger.id }}"}
        """);
    at("2026-03-27T12:00:01Z");
    at("2026-03-28T01:30:00Z");
    var runs = fx.server.store().listRuns(new StateStore.RunQuery("team.a", "nightly", null, 10));
    assertThat(runs).hasSize(1);
    var run = fx.awaitRun(runs.get(0).id());
    assertThat(run.path("inputs").path("slot").asText())
        .isEqualTo("2026-03-28T01:30:00Z by at_0230");
  }

  @Test
  void schedules_due_at_the_same_instant_fire_together_and_one_bad_trigger_stops_no_other()
      throws Exception {
    fx = new ServerFixture(dir, clock);
    for (int i = 0; i < 30; i++) {
      fx.writeFlow("f" + i + ".yaml", flow("none").replace("id: nightly", "id: nightly" + i));
    }
    // a limited flow is fired one by one beside the others; a bad input template fails alone
    fx.writeFlow(
        "limited.yaml",
        flow("none").replace("id: nightly", "id: limited")
            + "concurrency: {limit: 1, onLimit: skip}\n");
    fx.writeFlow(
        "bad.yaml",
        """
        id: bad
        namespace: team.a
        inputs:
          - {id: n, type: int}
        tasks:
          - {id: work, type: test.ok}
        triggers:
          - id: at_0230
            type: schedule
            cron: "30 2 * * *"
            timezone: Europe/Berlin
            inputs: {n: "{{ trigger.slot }}"}
        """);
    fx.start();
    at("2026-03-27T12:00:01Z");
    at("2026-03-28T01:30:00Z");
    var runs = fx.server.store().listRuns(new StateStore.RunQuery("team.a", null, null, 100));
    assertThat(runs).hasSize(31);
    assertThat(runs)
        .allSatisfy(r -> assertThat(r.logicalDate()).hasToString("2026-03-28T01:30:00Z"));
    assertThat(runs.stream().map(RunRecord::flowId)).doesNotContain("bad").contains("limited");
    for (RunRecord r : runs) {
      assertThat(fx.awaitRun(r.id()).path("state").asText()).isEqualTo("SUCCEEDED");
    }
    // the bad trigger's slot is spent (recorded without a run), and every mark moved on
    assertThat(fx.server.serverStore().hasFired("team.a", "bad", "at_0230", "2026-03-28T01:30:00Z"))
        .isTrue();
    restart();
    fx.server.scheduler().tick();
    assertThat(fx.server.store().listRuns(new StateStore.RunQuery("team.a", null, null, 100)))
        .hasSize(31);
  }
}
