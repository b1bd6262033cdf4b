package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.store.JdbcStateStore;
import dev.weir.testing.TestDatabases;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backfills over the REST API of a real server: runs, limits, pause, cancel, restarts, errors. */
class BackfillApiTest {
  /** A daily flow whose one task sleeps for DURATION; its schedule stays quiet (disabled). */
  static final String SLEEPY =
      """
      id: sleepy
      namespace: team.a
      triggers:
        - {id: daily, type: schedule, cron: "0 5 * * *", timezone: UTC, disabled: true}
      tasks:
        - {id: nap, type: test.sleep, duration: DURATION}
      """;

  /**
   * SLEEPY whose task waits until the test opens the latch "go" (then every later run passes
   * straight through): a test that must act while the first run is going holds it as long as it
   * needs, however long it stalls.
   */
  static final String HELD =
      SLEEPY.replace("test.sleep, duration: DURATION", "test.block, latch: go");

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    TestTasks.reset();
    fx = new ServerFixture(dir);
  }

  @AfterEach
  void stop() {
    TestTasks.open("go");
    fx.close();
  }

  @Test
  void a_week_across_dst_makes_one_run_per_day_and_a_second_backfill_replaces_the_rows()
      throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    fx.writeFlow("weir.yaml", "connections:\n  warehouse:\n    url: \"" + url + "\"\n");
    fx.writeFlow(
        "shop/daily_sales.yaml",
        """
        id: daily_sales
        namespace: shop
        triggers:
          # disabled: the schedule itself stays quiet; a backfill still follows its cron
          - {id: nightly, type: schedule, cron: "30 2 * * *", timezone: Europe/Berlin, disabled: true}
        tasks:
          - id: shape
            type: sql.transform
            sql: |
              SELECT DATE '{{ run.logicalDate | date('yyyy-MM-dd') }}' AS day,
                     '{{ run.id }}' AS run_id
          - id: load
            type: jdbc.load
            dataset: shape
            connection: warehouse
            table: daily
            mode: replacePartition
            partition: {column: day, value: "{{ run.logicalDate | date('yyyy-MM-dd') }}"}
        """);
    fx.start();
    String body =
        "{\"flow\": \"shop/daily_sales\", \"from\": \"2026-03-26\", \"to\": \"2026-04-01\"}";

    JsonNode first = awaitEnd(create(body));
    assertThat(first.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(first.path("progress").path("succeeded").asInt()).isEqualTo(7);
    // 02:30 in Berlin: CET until the 29th, when 02:30 does not exist and fires at 03:30 CEST
    List<String> week =
        List.of(
            "2026-03-26T01:30:00Z",
            "2026-03-27T01:30:00Z",
            "2026-03-28T01:30:00Z",
            "2026-03-29T01:30:00Z",
            "2026-03-30T00:30:00Z",
            "2026-03-31T00:30:00Z",
            "2026-04-01T00:30:00Z");
    assertThat(slotDates(first)).containsExactlyElementsOf(week);
    List<JsonNode> runs = backfillRuns("shop/daily_sales");
    assertThat(runs).hasSize(7);
    assertThat(runs.stream().map(r -> r.path("logicalDate").asText()).sorted())
        .containsExactlyElementsOf(week);
    assertThat(runs).allSatisfy(r -> assertThat(r.path("trigger").asText()).isEqualTo("backfill"));
    List<String> days =
        List.of(
            "2026-03-26",
            "2026-03-27",
            "2026-03-28",
            "2026-03-29",
            "2026-03-30",
            "2026-03-31",
            "2026-04-01");
    assertThat(rows(url, "SELECT day FROM daily ORDER BY day")).containsExactlyElementsOf(days);

    JsonNode second = awaitEnd(create(body));
    assertThat(second.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(backfillRuns("shop/daily_sales")).hasSize(14);
    assertThat(rows(url, "SELECT day FROM daily ORDER BY day")).containsExactlyElementsOf(days);
    // the rows are the second backfill's: each day was replaced, not added to
    List<String> secondRuns = new ArrayList<>();
    second.path("slots").forEach(s -> secondRuns.add(s.path("runId").asText()));
    assertThat(rows(url, "SELECT run_id FROM daily ORDER BY day"))
        .containsExactlyElementsOf(secondRuns);

    var list = fx.get("/backfills?flow=shop/daily_sales").json().path("backfills");
    assertThat(list).hasSize(2);
    assertThat(list.get(0).path("id").asText()).isEqualTo(second.path("id").asText());
    assertThat(list.get(0).path("progress").path("succeeded").asInt()).isEqualTo(7);
    assertThat(list.get(0).has("slots")).isFalse();
  }

  @Test
  void with_parallel_2_never_more_than_two_runs_go_at_once() throws Exception {
    fx.writeFlow("sleepy.yaml", SLEEPY.replace("DURATION", "400ms"));
    fx.start();
    String id =
        create(
            "{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-06\","
                + " \"parallel\": 2}");
    var most = new AtomicInteger();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> {
          JsonNode p = fx.get("/backfills/" + id).json();
          int going =
              p.path("progress").path("running").asInt()
                  + p.path("progress").path("queued").asInt();
          most.accumulateAndGet(going, Math::max);
          return p.path("state").asText().equals("SUCCEEDED");
        });
    assertThat(most.get()).isEqualTo(2);
    // and from the runs' own times: at most two overlap, and two did
    List<JsonNode> runs = backfillRuns("team.a/sleepy");
    assertThat(runs).hasSize(6);
    assertThat(maxOverlap(runs)).isEqualTo(2);
    // made in slot order: each slot's run was created no earlier than the one before
    List<Instant> created = new ArrayList<>();
    for (JsonNode slot : fx.get("/backfills/" + id).json().path("slots")) {
      created.add(
          Instant.parse(
              fx.get("/runs/" + slot.path("runId").asText()).json().path("createdAt").asText()));
    }
    assertThat(created).isSorted();
  }

  @Test
  void pause_stops_new_runs_and_resume_goes_on() throws Exception {
    fx.writeFlow("sleepy.yaml", HELD);
    fx.start();
    String id =
        create("{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-04\"}");
    awaitProgress(id, "running", 1);

    // the first run is held until the pause has landed: its end cannot start the next slot first
    var paused = fx.post("/backfills/" + id + "/pause", "");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.json().path("state").asText()).isEqualTo("PAUSED");
    TestTasks.open("go");
    awaitProgress(id, "succeeded", 1); // the run going finishes
    Awaitility.await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> progress(id).path("created").asInt() == 1);
    var again = fx.post("/backfills/" + id + "/pause", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("error").path("message").asText())
        .isEqualTo("backfill " + id + " is PAUSED; only a RUNNING one can be paused");

    var resumed = fx.post("/backfills/" + id + "/resume", "");
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(resumed.json().path("state").asText()).isEqualTo("RUNNING");
    JsonNode done = awaitEnd(id);
    assertThat(done.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.path("progress").path("succeeded").asInt()).isEqualTo(4);
    assertThat(fx.post("/backfills/" + id + "/resume", "").status()).isEqualTo(409);
  }

  @Test
  void cancel_cancels_the_runs_going_and_starts_no_more() throws Exception {
    fx.writeFlow("sleepy.yaml", SLEEPY.replace("DURATION", "30s"));
    fx.start();
    String id =
        create(
            "{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-05\","
                + " \"parallel\": 2}");
    awaitProgress(id, "running", 2);

    var cancelled = fx.post("/backfills/" + id + "/cancel", "");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().path("state").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.json().path("error").asText()).isEqualTo("cancelled over the API");
    awaitProgress(id, "cancelled", 2);
    Awaitility.await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> progress(id).path("created").asInt() == 2);
    JsonNode p = fx.get("/backfills/" + id).json();
    assertThat(p.path("progress").path("pending").asInt()).isEqualTo(3);
    assertThat(p.path("endedAt").isTextual()).isTrue();
    assertThat(backfillRuns("team.a/sleepy"))
        .extracting(r -> r.path("state").asText())
        .containsExactly("CANCELLED", "CANCELLED");
    var twice = fx.post("/backfills/" + id + "/cancel", "");
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.json().path("error").path("message").asText()).contains("already ended");
  }

  @Test
  void a_restarted_server_goes_on_where_the_backfill_was() throws Exception {
    fx.writeFlow("sleepy.yaml", SLEEPY.replace("DURATION", "700ms"));
    fx.start();
    String id =
        create("{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-04\"}");
    awaitProgress(id, "succeeded", 1);
    awaitProgress(id, "running", 1);
    fx.close(); // the run going finishes within the grace period; no new one starts

    try (var store = JdbcStateStore.h2(fx.home)) {
      assertThat(countRows(store, "SELECT COUNT(*) FROM weir_backfill_slots WHERE run_id IS NULL"))
          .as("slots left for the next server")
          .isBetween(1, 2);
    }
    fx = new ServerFixture(dir).start();
    JsonNode done = awaitEnd(id);
    assertThat(done.path("state").asText()).isEqualTo("SUCCEEDED");
    List<JsonNode> runs = backfillRuns("team.a/sleepy");
    assertThat(runs.stream().map(r -> r.path("logicalDate").asText()).sorted())
        .containsExactly(
            "2026-01-01T05:00:00Z",
            "2026-01-02T05:00:00Z",
            "2026-01-03T05:00:00Z",
            "2026-01-04T05:00:00Z");
  }

  @Test
  void a_slot_claimed_when_the_server_died_keeps_the_run_it_made() throws Exception {
    fx.writeFlow("sleepy.yaml", SLEEPY.replace("DURATION", "10ms"));
    fx.start();
    String id =
        create("{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-03\"}");
    JsonNode before = awaitEnd(id);
    String third = before.path("slots").get(2).path("runId").asText();
    fx.close();
    // as if the server died after making the third run but before noting it
    try (var store = JdbcStateStore.h2(fx.home);
        Connection c = store.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE weir_backfills SET state = 'RUNNING', ended_at = NULL");
      st.executeUpdate("UPDATE weir_backfill_slots SET run_id = NULL WHERE slot_no = 2");
    }

    fx = new ServerFixture(dir).start();
    JsonNode after = awaitEnd(id);
    assertThat(after.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(after.path("slots").get(2).path("runId").asText()).isEqualTo(third);
    assertThat(backfillRuns("team.a/sleepy")).hasSize(3);
  }

  @Test
  void failed_runs_fail_the_backfill_after_every_slot_ran_and_retrying_them_mends_it()
      throws Exception {
    fx.writeFlow(
        "flaky.yaml",
        """
        id: flaky
        namespace: team.a
        retry: {attempts: 1}
        triggers:
          - {id: daily, type: schedule, cron: "0 5 * * *", disabled: true}
        tasks:
          - {id: once, type: test.flaky, failures: 1}
        """);
    fx.start();
    String id =
        create("{\"flow\": \"team.a/flaky\", \"from\": \"2026-01-01\", \"to\": \"2026-01-02\"}");
    JsonNode failed = awaitEnd(id);
    assertThat(failed.path("state").asText()).isEqualTo("FAILED");
    assertThat(failed.path("error").asText()).isEqualTo("2 of 2 slots did not succeed (FAILED 2)");
    assertThat(failed.path("progress").path("failed").asInt()).isEqualTo(2);

    for (JsonNode s : failed.path("slots")) {
      assertThat(fx.post("/runs/" + s.path("runId").asText() + "/retry", "").status())
          .isEqualTo(202);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fx.get("/backfills/" + id).json().path("state").asText().equals("SUCCEEDED"));
  }

  @Test
  void a_flow_disabled_meanwhile_holds_its_backfill_until_enabled() throws Exception {
    fx.writeFlow("sleepy.yaml", HELD);
    fx.start();
    String id =
        create("{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-03\"}");
    awaitProgress(id, "running", 1);
    // the first run is held until the flow is disabled: its end cannot start the next slot first
    assertThat(fx.post("/flows/team.a/sleepy/disable", "").status()).isEqualTo(200);
    TestTasks.open("go");
    awaitProgress(id, "succeeded", 1);
    Awaitility.await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> progress(id).path("created").asInt() == 1);
    JsonNode held = fx.get("/backfills/" + id).json();
    assertThat(held.path("state").asText()).isEqualTo("RUNNING");
    assertThat(held.path("waiting").asText())
        .isEqualTo("flow team.a/sleepy is disabled; the backfill goes on when it is enabled");

    fx.post("/flows/team.a/sleepy/enable", "");
    JsonNode done = awaitEnd(id);
    assertThat(done.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.path("waiting").isNull()).isTrue();
  }

  @Test
  void a_flow_limit_with_on_limit_skip_holds_the_backfill_back_without_losing_a_slot()
      throws Exception {
    fx.writeFlow(
        "sleepy.yaml",
        SLEEPY
            .replace("DURATION", "300ms")
            .replace("triggers:", "concurrency: {limit: 1, onLimit: skip}\ntriggers:"));
    fx.start();
    String id =
        create(
            "{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-04\","
                + " \"parallel\": 3}");
    var most = new AtomicInteger();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> {
          JsonNode p = fx.get("/backfills/" + id).json();
          most.accumulateAndGet(p.path("progress").path("running").asInt(), Math::max);
          return p.path("state").asText().equals("SUCCEEDED");
        });
    assertThat(most.get()).isEqualTo(1);
    assertThat(backfillRuns("team.a/sleepy")).hasSize(4);
    assertThat(maxOverlap(backfillRuns("team.a/sleepy"))).isEqualTo(1);
  }

  @Test
  void a_postgresql_state_store_keeps_backfills_and_finds_a_claimed_slots_run() throws Exception {
    fx.writeFlow("sleepy.yaml", SLEEPY.replace("DURATION", "10ms"));
    String db = TestDatabases.freshPostgresSchemaUrl();
    ServerOptions o = fx.options();
    var options = o.withDb(db);
    fx.server = WeirServer.start(options, t -> {});
    String id =
        create(
            "{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-03\","
                + " \"parallel\": 2}");
    JsonNode before = awaitEnd(id);
    assertThat(before.path("state").asText()).isEqualTo("SUCCEEDED");
    var list = fx.get("/backfills?state=SUCCEEDED").json().path("backfills");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).path("progress").path("succeeded").asInt()).isEqualTo(3);
    fx.close();

    try (Connection c = DriverManager.getConnection(db);
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE weir_backfills SET state = 'RUNNING', ended_at = NULL");
      st.executeUpdate("UPDATE weir_backfill_slots SET run_id = NULL WHERE slot_no = 1");
    }
    fx.server = WeirServer.start(options, t -> {});
    JsonNode after = awaitEnd(id);
    assertThat(after.path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(after.path("slots").get(1).path("runId").asText())
        .isEqualTo(before.path("slots").get(1).path("runId").asText());
    assertThat(backfillRuns("team.a/sleepy")).hasSize(3);
  }

  @Test
  void a_slot_whose_run_cannot_be_made_says_why_and_fails_the_backfill() throws Exception {
    fx.writeFlow(
        "secretive.yaml",
        """
        id: secretive
        namespace: team.a
        inputs:
          - {id: key, type: string, default: none}
        triggers:
          - id: daily
            type: schedule
            cron: "0 5 * * *"
            disabled: true
            inputs: {key: "{{ secret('NOT_SET_ANYWHERE') }}"}
        tasks:
          - {id: a, type: test.ok}
        """);
    fx.start();
    String id =
        create(
            "{\"flow\": \"team.a/secretive\", \"from\": \"2026-01-01\", \"to\": \"2026-01-02\"}");
    JsonNode failed = awaitEnd(id);
    assertThat(failed.path("state").asText()).isEqualTo("FAILED");
    assertThat(failed.path("error").asText()).isEqualTo("2 of 2 slots did not succeed (ERROR 2)");
    assertThat(failed.path("progress").path("errors").asInt()).isEqualTo(2);
    JsonNode slot = failed.path("slots").get(0);
    assertThat(slot.path("state").asText()).isEqualTo("ERROR");
    assertThat(slot.path("runId").isNull()).isTrue();
    assertThat(slot.path("error").asText())
        .startsWith("input 'key' of the trigger: ")
        .contains("secret 'NOT_SET_ANYWHERE' is not set");
  }

  @Test
  void bad_requests_say_what_is_wrong_and_what_would_work() throws Exception {
    fx.writeFlow("sleepy.yaml", SLEEPY.replace("DURATION", "30s"));
    fx.writeFlow(
        "plain.yaml",
        """
        id: plain
        namespace: team.a
        tasks:
          - {id: a, type: test.ok}
        """);
    fx.writeFlow(
        "two.yaml",
        """
        id: two
        namespace: team.a
        triggers:
          - {id: morning, type: schedule, cron: "0 5 * * *"}
          - {id: evening, type: schedule, cron: "0 17 * * *"}
          - {id: hook, type: webhook, key: "0123456789abcdef0123"}
        tasks:
          - {id: a, type: test.ok}
        """);
    fx.writeFlow(
        "minutely.yaml",
        """
        id: minutely
        namespace: team.a
        triggers:
          - {id: often, type: schedule, cron: "* * * * *", disabled: true}
        tasks:
          - {id: a, type: test.ok}
        """);
    fx.start();

    error(
        400,
        "{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-05\", \"to\": \"2026-01-01\"}",
        "'from' (2026-01-05) is after 'to' (2026-01-01); give the earlier date first");
    error(
        404,
        "{\"flow\": \"team.a/nope\", \"from\": \"2026-01-01\", \"to\": \"2026-01-02\"}",
        "no flow team.a/nope on this server");
    error(
        400,
        "{\"flow\": \"nope\", \"from\": \"2026-01-01\", \"to\": \"2026-01-02\"}",
        "'flow' must be \"NAMESPACE/ID\", e.g. \"shop.sales/orders_daily\", got 'nope'");
    error(
        400,
        "{\"flow\": \"team.a/plain\", \"from\": \"2026-01-01\", \"to\": \"2026-01-02\"}",
        "flow team.a/plain has no schedule trigger, so there are no slots to backfill; add one");
    error(
        400,
        "{\"flow\": \"team.a/two\", \"from\": \"2026-01-01\", \"to\": \"2026-01-02\"}",
        "flow team.a/two has 2 schedule triggers (morning, evening); name the one whose slots"
            + " to run with \"trigger\"");
    error(
        400,
        "{\"flow\": \"team.a/two\", \"from\": \"2026-01-01\", \"to\": \"2026-01-02\","
            + " \"trigger\": \"noon\"}",
        "flow team.a/two has no trigger 'noon' (its schedule triggers: morning, evening)");
    error(
        400,
        "{\"flow\": \"team.a/two\", \"from\": \"2026-01-01\", \"to\": \"2026-01-02\","
            + " \"trigger\": \"hook\"}",
        "trigger 'hook' of flow team.a/two is a webhook trigger; a backfill follows the slots of"
            + " a schedule trigger");
    error(
        400,
        "{\"flow\": \"team.a/sleepy\", \"from\": \"yesterday\", \"to\": \"2026-01-02\"}",
        "'from' must be a date (2026-03-26) or a date-time (2026-03-26T05:00,"
            + " 2026-03-26T05:00+01:00, 2026-03-26T04:00Z), got 'yesterday'");
    error(400, "{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\"}", "'to' is required");
    error(
        400,
        "{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-02\","
            + " \"parallel\": 0}",
        "'parallel' must be 1 to 100 (runs at once), got 0");
    error(
        400,
        "{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01T06:00Z\", \"to\":"
            + " \"2026-01-01T23:00Z\"}",
        "no slot of schedule 'daily' (cron \"0 5 * * *\", UTC) lies between 2026-01-01T06:00:00Z"
            + " and 2026-01-01T23:00:00Z; nothing to do");
    error(
        400,
        "{\"flow\": \"team.a/minutely\", \"from\": \"2026-01-01\", \"to\": \"2026-01-07\"}",
        "holds more than 10,000 slots of schedule 'often' (cron \"* * * * *\", UTC); a backfill may"
            + " have at most 10,000: split the range (the first 10,000 end at"
            + " 2026-01-07T22:39:00Z)");
    error(400, "[1, 2]", "send a JSON object");
    assertThat(fx.get("/backfills/bf_nope").status()).isEqualTo(404);
    assertThat(fx.get("/backfills/bf_nope").json().path("error").path("message").asText())
        .isEqualTo("no backfill 'bf_nope'; list them with GET /api/v1/backfills");
    assertThat(fx.get("/backfills?state=DONE").status()).isEqualTo(400);

    String id =
        create("{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-03\"}");
    error(
        409,
        "{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-03\", \"to\": \"2026-01-09\"}",
        "backfill "
            + id
            + " of team.a/sleepy (2026-01-01T00:00:00Z to 2026-01-03T23:59:59.999999Z) is RUNNING"
            + " and overlaps this range");
    fx.post("/backfills/" + id + "/cancel", "");

    fx.post("/flows/team.a/sleepy/disable", "");
    error(
        409,
        "{\"flow\": \"team.a/sleepy\", \"from\": \"2026-01-01\", \"to\": \"2026-01-02\"}",
        "flow team.a/sleepy is disabled, and a disabled flow runs nothing, backfills included");
  }

  // --- helpers

  private String create(String body) {
    var r = fx.post("/backfills", body);
    assertThat(r.status()).as(r.body() + fx.get("/flows").body()).isEqualTo(201);
    String id = r.json().path("id").asText();
    assertThat(r.headers().get("location")).containsExactly("/api/v1/backfills/" + id);
    return id;
  }

  private void error(int status, String body, String message) {
    var r = fx.post("/backfills", body);
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().path("error").path("status").asInt()).isEqualTo(status);
    assertThat(r.json().path("error").path("message").asText()).contains(message);
  }

  private JsonNode progress(String id) {
    return fx.get("/backfills/" + id).json().path("progress");
  }

  private void awaitProgress(String id, String field, int atLeast) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> progress(id).path(field).asInt() >= atLeast);
  }

  private JsonNode awaitEnd(String id) {
    JsonNode[] last = new JsonNode[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> {
          last[0] = fx.get("/backfills/" + id).json();
          String s = last[0].path("state").asText();
          return s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("CANCELLED");
        });
    return last[0];
  }

  private static List<String> slotDates(JsonNode backfill) {
    return StreamSupport.stream(backfill.path("slots").spliterator(), false)
        .map(s -> s.path("logicalDate").asText())
        .toList();
  }

  private List<JsonNode> backfillRuns(String flow) {
    var runs = fx.get("/runs?flow=" + flow + "&limit=1000").json().path("runs");
    return StreamSupport.stream(runs.spliterator(), false)
        .filter(r -> r.path("trigger").asText().equals("backfill"))
        .toList();
  }

  // the most runs whose [startedAt, endedAt] overlap at one instant
  private static int maxOverlap(List<JsonNode> runs) {
    record Edge(Instant at, int delta) {}
    var edges = new ArrayList<Edge>();
    for (JsonNode r : runs) {
      edges.add(new Edge(Instant.parse(r.path("startedAt").asText()), 1));
      edges.add(new Edge(Instant.parse(r.path("endedAt").asText()), -1));
    }
    // an end before a start at the same instant: back-to-back runs do not overlap
    edges.sort(Comparator.comparing(Edge::at).thenComparing(Edge::delta));
    int now = 0;
    int most = 0;
    for (Edge e : edges) {
      now += e.delta();
      most = Math.max(most, now);
    }
    return most;
  }

  private static List<String> rows(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      var out = new ArrayList<String>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private static int countRows(JdbcStateStore store, String sql) throws Exception {
    try (Connection c = store.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
