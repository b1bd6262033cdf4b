package dev.weir.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.TaskRunRecord;
import dev.weir.task.DatasetRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds OpenLineage run events (spec 2-0-2) for task attempts. */
final class LineageEvents {
  static final String PRODUCER = "https://github.com/weir-dev/weir";
  static final String SCHEMA_URL =
      "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
  private static final String FACETS = "https://openlineage.io/spec/facets/";
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Type {
    START,
    COMPLETE,
    FAIL,
    ABORT
  }

  /** What an event is about: the flow's run and one attempt of one of its tasks. */
  record Subject(String namespace, String flowId, String runId, TaskRunRecord taskRun) {}

  private LineageEvents() {}

  /** A stable UUID for an attempt: the same run, task and attempt always give the same id. */
  static UUID attemptId(String runId, String taskId, int attempt) {
    return uuid("weir:" + runId + ":" + taskId + ":" + attempt);
  }

  /** A stable UUID for a flow run, the parent of its task attempts. */
  static UUID runUuid(String runId) {
    return uuid("weir:" + runId);
  }

  private static UUID uuid(String key) {
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
  }

  static String event(
      Type type,
      Instant time,
      Subject s,
      List<DatasetRef> inputs,
      List<DatasetRef> outputs,
      String error) {
    TaskRunRecord t = s.taskRun();
    ObjectNode e = JSON.createObjectNode();
    e.put("eventType", type.name());
    e.put("eventTime", time.toString());
    e.put("producer", PRODUCER);
    e.put("schemaURL", SCHEMA_URL);
    ObjectNode run = e.putObject("run");
    run.put("runId", attemptId(s.runId(), t.taskId(), t.attempt()).toString());
    ObjectNode runFacets = run.putObject("facets");
    ObjectNode parent =
        facet(runFacets, "parent", "1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet");
    parent.putObject("run").put("runId", runUuid(s.runId()).toString());
    parent.putObject("job").put("namespace", s.namespace()).put("name", s.flowId());
    if (error != null) {
      facet(
              runFacets,
              "errorMessage",
              "1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet")
          .put("message", error)
          .put("programmingLanguage", "JAVA");
    }
    ObjectNode job = e.putObject("job");
    job.put("namespace", s.namespace());
    job.put("name", s.flowId() + "." + t.taskId());
    facet(job.putObject("facets"), "jobType", "2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet")
        .put("processingType", "BATCH")
        .put("integration", "WEIR")
        .put("jobType", "TASK");
    datasets(
        e.putArray("inputs"),
        inputs,
        "inputFacets",
        "inputStatistics",
        "1-0-0/InputStatisticsInputDatasetFacet.json#/$defs/InputStatisticsInputDatasetFacet");
    datasets(
        e.putArray("outputs"),
        outputs,
        "outputFacets",
        "outputStatistics",
        "1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet");
    return e.toString();
  }

  private static void datasets(
      ArrayNode into, List<DatasetRef> refs, String facetsKey, String statsKey, String schema) {
    for (DatasetRef r : refs) {
      ObjectNode d = into.addObject().put("namespace", r.namespace()).put("name", r.name());
      if (r.rows() >= 0 || r.bytes() >= 0) {
        ObjectNode stats = facet(d.putObject(facetsKey), statsKey, schema);
        if (r.rows() >= 0) {
          stats.put("rowCount", r.rows());
        }
        if (r.bytes() >= 0) {
          stats.put("size", r.bytes());
        }
      }
    }
  }

  private static ObjectNode facet(ObjectNode facets, String name, String schema) {
    return facets.putObject(name).put("_producer", PRODUCER).put("_schemaURL", FACETS + schema);
  }
}
