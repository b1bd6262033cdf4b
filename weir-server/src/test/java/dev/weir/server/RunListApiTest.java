package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /runs}: pages, sorts, filters and their 400s over a real server and store. */
class RunListApiTest {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new ServerFixture(dir).start();
    // 24 runs of two flows: a new one each 10 minutes; run i lasts i seconds when it has ended
    var runs = new ArrayList<RunRecord>();
    RunState[] states = {RunState.SUCCEEDED, RunState.FAILED, RunState.CANCELLED, RunState.RUNNING};
    String[] triggers = {"schedule", "manual", "api"};
    for (int i = 0; i < 24; i++) {
      RunState state = states[i % states.length];
      Instant created = T0.plus(Duration.ofMinutes(10L * i));
      Instant started = created.plusSeconds(1);
      runs.add(
          new RunRecord(
              "run_%02d".formatted(i),
              i % 2 == 0 ? "team.a" : "team.b",
              i % 3 == 0 ? "orders" : "users",
              "rev",
              null,
              state,
              "{}",
              null,
              triggers[i % triggers.length],
              1,
              created,
              started,
              state.isTerminal() ? started.plusSeconds(i) : null,
              null,
              null));
    }
    fx.server.store().write(new StateStore.Batch(runs, List.of(), List.of(), List.of()));
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private List<String> ids(JsonNode page) {
    var out = new ArrayList<String>();
    page.path("runs").forEach(r -> out.add(r.path("id").asText()));
    return out;
  }

  /** Every page of {@code query}, following nextCursor (bounded). */
  private List<String> allPages(String query) {
    var out = new ArrayList<String>();
    String cursor = null;
    for (int i = 0; i < 50; i++) {
      var r = fx.get("/runs?" + query + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      out.addAll(ids(r.json()));
      cursor = r.json().path("nextCursor").isNull() ? null : r.json().path("nextCursor").asText();
      if (cursor == null) {
        return out;
      }
    }
    throw new AssertionError("more than 50 pages");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void a_page_answers_runs_total_and_the_cursor_of_the_next_page() {
    var first = fx.get("/runs?limit=5").json();
    assertThat(ids(first)).containsExactly("run_23", "run_22", "run_21", "run_20", "run_19");
    assertThat(first.path("total").asInt()).isEqualTo(24);
    assertThat(first.path("totalExact").asBoolean()).isTrue();
    assertThat(first.path("limit").asInt()).isEqualTo(5);
    assertThat(first.path("sort").asText()).isEqualTo("created");
    assertThat(first.path("order").asText()).isEqualTo("desc");
    assertThat(first.path("nextCursor").asText()).isNotBlank();
    // the run's own shape is the one GET /runs/{id} has
    assertThat(first.path("runs").get(0).path("flow").asText()).isEqualTo("users");
    assertThat(first.path("runs").get(0).path("trigger").asText()).isEqualTo("api");

    var second = fx.get("/runs?limit=5&cursor=" + first.path("nextCursor").asText()).json();
    assertThat(ids(second)).containsExactly("run_18", "run_17", "run_16", "run_15", "run_14");
  }

  @Test
  void paging_with_each_sort_gives_every_run_once() {
    assertThat(allPages("sort=duration&order=asc&limit=4"))
        .hasSize(24)
        .doesNotHaveDuplicates()
        // durations 0, 1, 2, 4, 5, 6 … s; running runs (3, 7, 11 …) have none and come last
        .startsWith("run_00", "run_01", "run_02", "run_04")
        .endsWith("run_15", "run_19", "run_23");
    assertThat(allPages("sort=created&order=asc&limit=7"))
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 24).mapToObj("run_%02d"::formatted).toList());
    for (String sort : List.of("started", "flow", "state")) {
      for (String order : List.of("asc", "desc")) {
        assertThat(allPages("sort=" + sort + "&order=" + order + "&limit=5"))
            .as(sort + " " + order)
            .hasSize(24)
            .doesNotHaveDuplicates();
      }
    }
    assertThat(allPages("sort=flow&order=asc&limit=5")).startsWith("run_00", "run_06", "run_12");
  }

  @Test
  void filters_combine_and_the_total_counts_the_filter() {
    Map<String, List<String>> cases =
        Map.of(
            "state=FAILED&state=cancelled",
            List.of(
                "run_22", "run_21", "run_18", "run_17", "run_14", "run_13", "run_10", "run_09",
                "run_06", "run_05", "run_02", "run_01"),
            "state=RUNNING,FAILED&namespace=team.b",
            List.of(
                "run_23", "run_21", "run_19", "run_17", "run_15", "run_13", "run_11", "run_09",
                "run_07", "run_05", "run_03", "run_01"),
            "flow=team.a/orders",
            List.of("run_18", "run_12", "run_06", "run_00"),
            "trigger=manual&state=SUCCEEDED",
            List.of("run_16", "run_04"),
            "from=" + enc("2026-11-01T01:00:00Z") + "&to=" + enc("2026-11-01T01:30:00Z"),
            List.of("run_08", "run_07", "run_06"),
            "timeField=started&from=" + enc("2026-11-01T03:50:01Z"),
            List.of("run_23"),
            "minDuration=20",
            List.of("run_22", "run_21", "run_20"),
            "minDuration=1.5&maxDuration=3s",
            List.of("run_02"),
            "maxDuration=PT1S&order=asc",
            List.of("run_00", "run_01"));
    cases.forEach((query, want) -> {
      var page = fx.get("/runs?" + query + "&limit=3").json();
      assertThat(page.path("total").asInt()).as(query).isEqualTo(want.size());
      assertThat(allPages(query + "&limit=3")).as(query).containsExactlyElementsOf(want);
    });
  }

  @Test
  void a_limit_above_500_gives_a_page_of_500_and_the_old_parameters_still_work() {
    var page = fx.get("/runs?limit=1000").json();
    assertThat(page.path("limit").asInt()).isEqualTo(500);
    assertThat(page.path("runs")).hasSize(24);
    assertThat(page.path("nextCursor").isNull()).isTrue();
    assertThat(ids(fx.get("/runs?flow=team.a/orders&state=SUCCEEDED").json()))
        .containsExactly("run_12", "run_00");
    assertThat(ids(fx.get("/runs?from=2000-01-01T00:00:00Z&limit=1").json()))
        .containsExactly("run_23");
  }

  @Test
  void bad_parameters_answer_400_with_what_is_wrong_and_what_works() {
    String otherSort = fx.get("/runs?sort=flow&limit=1").json().path("nextCursor").asText();
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry("state=DONE", "unknown state 'DONE' (known: [QUEUED, RUNNING, SUCCEEDED"),
            Map.entry(
                "sort=colour",
                "unknown sort 'colour' (known: created, started, duration, flow, state)"),
            Map.entry("order=up", "unknown order 'up' (known: asc, desc)"),
            Map.entry("limit=0", "'limit' must be at least 1, got 0"),
            Map.entry("limit=many", "'limit' must be a whole number, got 'many'"),
            Map.entry("cursor=garbage", "cursor 'garbage' is not one this server made"),
            Map.entry(
                "cursor=" + otherSort,
                "the cursor was made for sort 'flow desc', not 'created desc'"),
            Map.entry(
                "from=yesterday", "'from' must be an ISO-8601 instant like 2026-11-21T08:00:00Z"),
            Map.entry(
                "from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z",
                "the time range must start before it ends"),
            Map.entry("timeField=ended", "unknown timeField 'ended' (known: created, started)"),
            Map.entry("minDuration=-1", "'minDuration' must not be negative, got '-1'"),
            Map.entry(
                "maxDuration=soon",
                "'maxDuration' must be seconds (90, 1.5) or a duration (30s, 5m"),
            Map.entry(
                "minDuration=10&maxDuration=5",
                "the minimum duration (10000 ms) is above the maximum (5000 ms)"));
    cases.forEach((query, message) -> {
      var r = fx.get("/runs?" + query);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.json().path("error").path("message").asText()).as(query).contains(message);
    });
  }
}
