package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/backfills/preview}: the exact logical dates a backfill would run and what
 * happens to each, without creating anything, refusing exactly what a create refuses.
 */
class BackfillPreviewApiTest {
  static final String PLAIN =
      """
      id: plain
      namespace: bf
      triggers:
        - {id: daily, type: schedule, cron: "0 5 * * *", timezone: UTC, disabled: true}
      tasks:
        - {id: work, type: test.ok}
      """;

  static final String BLOCKED =
      """
      id: blocked
      namespace: bf
      triggers:
        - {id: daily, type: schedule, cron: "0 5 * * *", timezone: UTC, disabled: true}
      tasks:
        - {id: wait, type: test.block, latch: preview}
      """;

  static final String TWO =
      """
      id: two
      namespace: bf
      triggers:
        - {id: daily, type: schedule, cron: "0 5 * * *", disabled: true}
        - {id: hourly, type: schedule, cron: "0 * * * *", disabled: true}
      tasks:
        - {id: work, type: test.ok}
      """;

  /** A flow whose one load writes {@code MODE}: what a second run of a date does to its rows. */
  static final String LOADING =
      """
      id: ID
      namespace: bf
      triggers:
        - {id: nightly, type: schedule, cron: "30 2 * * *", timezone: Europe/Berlin, disabled: true}
      tasks:
        - id: shape
          type: sql.transform
          sql: SELECT DATE '{{ run.logicalDate | date('yyyy-MM-dd') }}' AS day
        - id: load
          type: jdbc.load
          dataset: shape
          url: "jdbc:duckdb:"
          table: daily
      MODE
      """;

  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new ServerFixture(dir);
    fx.writeFlow("plain.yaml", PLAIN);
    fx.writeFlow("blocked.yaml", BLOCKED);
    fx.writeFlow("two.yaml", TWO);
    fx.writeFlow(
        "replacing.yaml",
        LOADING
            .replace("ID", "replacing")
            .replace(
                "MODE",
                "    mode: replacePartition\n"
                    + "    partition: {column: day, value: \"{{ run.logicalDate | date('yyyy-MM-dd')"
                    + " }}\"}"));
    fx.writeFlow("appending.yaml", LOADING.replace("ID", "appending").replace("MODE", ""));
    fx.start();
  }

  @AfterEach
  void stop() {
    TestTasks.open("preview");
    fx.close();
    TestTasks.reset();
  }

  private String runAt(String flow, String logicalDate) {
    var r = fx.post("/flows/bf/" + flow + "/runs", "{\"logicalDate\": \"" + logicalDate + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    String id = r.json().path("runId").asText();
    fx.awaitRun(id);
    return id;
  }

  private static List<String> texts(JsonNode array, String field) {
    var out = new ArrayList<String>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  private int backfillCount() {
    return fx.get("/backfills").json().path("backfills").size();
  }

  @Test
  void a_preview_shows_every_logical_date_and_its_fate_and_creates_nothing() {
    String earlier = runAt("plain", "2026-03-27T05:00:00Z");
    String body = "{\"flow\": \"bf/plain\", \"from\": \"2026-03-26\", \"to\": \"2026-03-28\"}";

    var preview = fx.post("/backfills/preview", body);
    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    JsonNode p = preview.json();
    assertThat(p.path("flow").asText()).isEqualTo("bf/plain");
    assertThat(p.path("trigger").asText()).isEqualTo("daily");
    assertThat(p.path("timezone").asText()).isEqualTo("UTC");
    assertThat(p.path("rerun").asText()).isEqualTo("RUNS_AGAIN");
    assertThat(texts(p.path("slots"), "logicalDate"))
        .containsExactly("2026-03-26T05:00:00Z", "2026-03-27T05:00:00Z", "2026-03-28T05:00:00Z");
    assertThat(texts(p.path("slots"), "fate")).containsExactly("NEW", "RUNS_AGAIN", "NEW");
    JsonNode again = p.path("slots").get(1).path("earlierRuns");
    assertThat(texts(again, "id")).containsExactly(earlier);
    assertThat(again.get(0).path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(p.path("counts").path("slots").asInt()).isEqualTo(3);
    assertThat(p.path("counts").path("NEW").asInt()).isEqualTo(2);
    assertThat(p.path("counts").path("RUNS_AGAIN").asInt()).isEqualTo(1);
    assertThat(backfillCount()).isZero();

    // what is created is what was previewed
    var created = fx.post("/backfills", body);
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().path("id").asText();
    assertThat(texts(created.json().path("slots"), "logicalDate"))
        .isEqualTo(texts(p.path("slots"), "logicalDate"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fx.get("/backfills/" + id).json().path("state").asText().equals("SUCCEEDED"));

    // now every date has a run: the backfill's own are the earlier runs of a second one
    JsonNode second = fx.post("/backfills/preview", body).json();
    assertThat(texts(second.path("slots"), "fate")).containsOnly("RUNS_AGAIN");
    assertThat(texts(second.path("slots").get(1).path("earlierRuns"), "trigger"))
        .containsExactly("api", "backfill");
  }

  @Test
  void the_flows_loads_say_whether_a_second_run_replaces_or_duplicates_the_rows() {
    String replaced = runAt("replacing", "2026-03-29T01:30:00Z");
    String duplicated = runAt("appending", "2026-03-29T01:30:00Z");

    JsonNode r =
        fx.post(
                "/backfills/preview",
                "{\"flow\": \"bf/replacing\", \"from\": \"2026-03-28\", \"to\": \"2026-03-29\"}")
            .json();
    // 02:30 in Berlin: 01:30 UTC in winter time, and on the 29th, when 02:30 does not exist,
    // 03:30 summer time, again 01:30 UTC
    assertThat(texts(r.path("slots"), "logicalDate"))
        .containsExactly("2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z");
    assertThat(texts(r.path("slots"), "fate")).containsExactly("NEW", "REPLACES");
    assertThat(texts(r.path("slots").get(1).path("earlierRuns"), "id")).containsExactly(replaced);
    assertThat(r.path("loads").get(0).path("mode").asText()).isEqualTo("replacePartition");
    assertThat(r.path("loads").get(0).path("table").asText()).isEqualTo("daily");

    JsonNode a =
        fx.post(
                "/backfills/preview",
                "{\"flow\": \"bf/appending\", \"from\": \"2026-03-29\", \"to\": \"2026-03-29\"}")
            .json();
    assertThat(texts(a.path("slots"), "fate")).containsExactly("DUPLICATES");
    assertThat(texts(a.path("slots").get(0).path("earlierRuns"), "id")).containsExactly(duplicated);
    assertThat(a.path("loads").get(0).path("mode").asText()).isEqualTo("append");
    assertThat(a.path("rerun").asText()).isEqualTo("DUPLICATES");
  }

  @Test
  void a_preview_refuses_exactly_what_a_create_refuses() {
    var blocking =
        fx.post(
            "/backfills",
            "{\"flow\": \"bf/blocked\", \"from\": \"2026-03-01\", \"to\": \"2026-03-10\"}");
    assertThat(blocking.status()).isEqualTo(201);
    List<String> bodies =
        List.of(
            "[]",
            "{\"flow\": \"plain\", \"from\": \"2026-03-26\", \"to\": \"2026-03-28\"}",
            "{\"flow\": \"bf/nope\", \"from\": \"2026-03-26\", \"to\": \"2026-03-28\"}",
            "{\"flow\": \"bf/plain\", \"from\": \"2026-03-28\", \"to\": \"2026-03-26\"}",
            "{\"flow\": \"bf/plain\", \"from\": \"someday\", \"to\": \"2026-03-26\"}",
            "{\"flow\": \"bf/plain\", \"from\": \"2026-03-26\"}",
            "{\"flow\": \"bf/plain\", \"from\": \"2026-03-26\", \"to\": \"2026-03-28\","
                + " \"parallel\": 0}",
            "{\"flow\": \"bf/plain\", \"from\": \"2026-03-26\", \"to\": \"2026-03-28\","
                + " \"parallel\": 1.5}",
            "{\"flow\": \"bf/two\", \"from\": \"2026-03-26\", \"to\": \"2026-03-28\"}",
            "{\"flow\": \"bf/two\", \"from\": \"2026-03-26\", \"to\": \"2026-03-28\","
                + " \"trigger\": \"weekly\"}",
            "{\"flow\": \"bf/plain\", \"from\": \"2000-01-01\", \"to\": \"2030-12-31\"}",
            "{\"flow\": \"bf/blocked\", \"from\": \"2026-03-05\", \"to\": \"2026-03-20\"}");
    for (String body : bodies) {
      var preview = fx.post("/backfills/preview", body);
      var create = fx.post("/backfills", body);
      assertThat(preview.status()).as(body).isBetween(400, 499);
      assertThat(preview.status()).as(body).isEqualTo(create.status());
      assertThat(preview.json().path("error").path("message").asText())
          .as(body)
          .isNotBlank()
          .isEqualTo(create.json().path("error").path("message").asText());
    }
    assertThat(fx.post("/backfills/preview", bodies.get(2)).status()).isEqualTo(404);
    assertThat(fx.post("/backfills/preview", bodies.get(11)).json().toString())
        .contains("overlaps this range");

    assertThat(fx.post("/flows/bf/plain/disable", "{}").status()).isLessThan(300);
    String ok = "{\"flow\": \"bf/plain\", \"from\": \"2026-03-26\", \"to\": \"2026-03-28\"}";
    var disabled = fx.post("/backfills/preview", ok);
    assertThat(disabled.status()).isEqualTo(409);
    assertThat(disabled.json().path("error").path("message").asText()).contains("is disabled");
    assertThat(backfillCount()).isEqualTo(1);
  }
}
