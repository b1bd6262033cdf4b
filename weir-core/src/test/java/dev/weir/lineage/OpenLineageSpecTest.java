package dev.weir.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.store.TaskRunRecord;
import dev.weir.task.DatasetRef;
import dev.weir.testing.OpenLineageSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec check itself: Weir's events pass it, and what the spec forbids is caught. */
class OpenLineageSpecTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant AT = Instant.parse("2026-11-21T10:00:00.120Z");

  @Test
  void every_kind_of_event_weir_builds_passes() throws Exception {
    var t = TaskRunRecord.pending("r1", "load", 1, 1);
    var subject = new LineageEvents.Subject("shop", "orders", "r1", t);
    var in = List.of(new DatasetRef("file", "/data/in.csv", 3, 22));
    var out = List.of(new DatasetRef("postgres://db:5432", "wh.public.orders", 3, -1));
    for (LineageEvents.Type type : LineageEvents.Type.values()) {
      String error = type == LineageEvents.Type.FAIL ? "boom \"quoted\"" : null;
      assertThat(
              OpenLineageSpec.problems(
                  JSON.readTree(LineageEvents.event(type, AT, subject, in, out, error))))
          .as(type.name())
          .isEmpty();
      assertThat(
              OpenLineageSpec.problems(
                  JSON.readTree(LineageEvents.runEvent(type, AT, "shop", "orders", "r1", error))))
          .as("run " + type.name())
          .isEmpty();
    }
  }

  @Test
  void what_the_spec_does_not_allow_is_reported_with_where_it_is() throws Exception {
    JsonNode bad =
        JSON.readTree(
            """
            {"eventType": "DONE", "eventTime": "2026-11-21T10:00:00", "producer": "weir",
             "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
             "run": {"runId": "0mwqblp1zshu66r", "facets": {
               "parent": {"_producer": "https://github.com/weir-dev/weir",
                          "_schemaURL": "https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet",
                          "run": {"runId": "r1"}},
               "errorMessage": {"_producer": "https://github.com/weir-dev/weir", "message": "x"}}},
             "job": {"namespace": "shop", "facets": {"jobType": 3}},
             "inputs": [{"namespace": "file", "name": "/in.csv",
               "inputFacets": {"inputStatistics": {
                 "_producer": "https://github.com/weir-dev/weir",
                 "_schemaURL": "https://openlineage.io/spec/facets/1-0-0/InputStatisticsInputDatasetFacet.json#/$defs/InputStatisticsInputDatasetFacet",
                 "rowCount": "3"}}}],
             "outputs": {},
             "extra": 1}
            """);
    assertThat(OpenLineageSpec.problems(bad))
        .containsExactlyInAnyOrder(
            "/extra: not a field of RunEvent",
            "/eventTime: an RFC 3339 date-time with an offset, got 2026-11-21T10:00:00",
            "/producer: an absolute URI, got weir",
            "/eventType: not one of [START, RUNNING, COMPLETE, ABORT, FAIL, OTHER]: \"DONE\"",
            "/run/runId: a UUID, got 0mwqblp1zshu66r",
            "/run/facets/errorMessage/_schemaURL: required",
            "/run/facets/errorMessage/_schemaURL: not the ErrorMessageRunFacet schema: ",
            "/run/facets/errorMessage/programmingLanguage: required",
            "/run/facets/parent/run/runId: a UUID, got r1",
            "/run/facets/parent/job: required",
            "/run/facets/parent/job/namespace: required",
            "/run/facets/parent/job/name: required",
            "/job/name: required",
            "/job/facets/jobType: a facet is an object",
            "/job/facets/jobType/_schemaURL: not the JobTypeJobFacet schema: ",
            "/job/facets/jobType/processingType: required",
            "/job/facets/jobType/integration: required",
            "/inputs/0/inputFacets/inputStatistics/rowCount: an integer",
            "/outputs: an array of datasets, got OBJECT");
  }
}
