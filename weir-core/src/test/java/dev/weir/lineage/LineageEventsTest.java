package dev.weir.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.store.TaskRunRecord;
import dev.weir.task.DatasetRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LineageEventsTest {
  @Test
  void ids_are_the_name_based_uuids_of_the_run_and_the_attempt() {
    assertThat(LineageEvents.attemptId("r1", "load", 2))
        .isEqualTo(UUID.nameUUIDFromBytes("weir:r1:load:2".getBytes(StandardCharsets.UTF_8)));
    assertThat(LineageEvents.runUuid("r1"))
        .isEqualTo(UUID.nameUUIDFromBytes("weir:r1".getBytes(StandardCharsets.UTF_8)));
    // non-ASCII ids, large attempt numbers, and one thread's ids one after the other
    for (int attempt : new int[] {0, 9, 10, 123_456_789, Integer.MAX_VALUE}) {
      assertThat(LineageEvents.attemptId("0mwq-é", "lädt_中", attempt))
          .isEqualTo(
              UUID.nameUUIDFromBytes(
                  ("weir:0mwq-é:lädt_中:" + attempt).getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void an_event_is_one_json_object_with_escaped_values_and_dataset_statistics() throws Exception {
    var t = TaskRunRecord.pending("r1", "load", 1, 1);
    String json =
        LineageEvents.event(
            LineageEvents.Type.FAIL,
            Instant.parse("2026-11-21T10:00:00Z"),
            new LineageEvents.Subject("shop", "orders", "r1", t),
            List.of(),
            List.of(new DatasetRef("postgres://db:5432", "wh.public.orders", 5, -1)),
            "bad \"quote\"\nline");
    var e = new ObjectMapper().readTree(json);
    assertThat(e.path("eventType").asText()).isEqualTo("FAIL");
    assertThat(e.at("/run/facets/errorMessage/message").asText()).isEqualTo("bad \"quote\"\nline");
    assertThat(e.at("/run/facets/parent/job/name").asText()).isEqualTo("orders");
    assertThat(e.at("/job/name").asText()).isEqualTo("orders.load");
    assertThat(e.at("/outputs/0/outputFacets/outputStatistics/rowCount").asLong()).isEqualTo(5);
    assertThat(e.at("/outputs/0/outputFacets/outputStatistics/size").isMissingNode()).isTrue();
    assertThat(e.path("inputs").size()).isZero();
  }

  @Test
  void each_value_is_masked_before_it_is_quoted_and_the_json_stays_valid() throws Exception {
    String secret = "pa\"ss\\word";
    java.util.function.UnaryOperator<String> mask = v -> v.replace(secret, "******");
    var t = TaskRunRecord.pending("r1", "load_" + secret, 1, 1);
    var out = new JsonBytes(64);
    LineageEvents.write(
        out,
        LineageEvents.Type.FAIL,
        Instant.parse("2026-11-21T10:00:00Z"),
        LineageEvents.runPart("shop", "orders", "r1", mask),
        "r1",
        t,
        List.of(new DatasetRef("postgres://db:5432", "wh." + secret, 5, 7)),
        List.of(),
        "login with " + secret + " refused",
        mask);
    String json = out.toString();
    assertThat(json).doesNotContain("word");
    var e = new ObjectMapper().readTree(json);
    assertThat(e.at("/job/name").asText()).isEqualTo("orders.load_******");
    assertThat(e.at("/inputs/0/name").asText()).isEqualTo("wh.******");
    assertThat(e.at("/inputs/0/inputFacets/inputStatistics/size").asLong()).isEqualTo(7);
    assertThat(e.at("/run/facets/errorMessage/message").asText())
        .isEqualTo("login with ****** refused");
    // the same bytes as the string form, which masks nothing
    assertThat(
            LineageEvents.event(
                LineageEvents.Type.START,
                Instant.parse("2026-11-21T10:00:00.123Z"),
                new LineageEvents.Subject("shop", "orders", "r1", t),
                List.of(),
                List.of(),
                null))
        .startsWith("{\"eventType\":\"START\",\"eventTime\":\"2026-11-21T10:00:00.123Z\"");
  }
}
