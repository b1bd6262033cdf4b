package dev.weir.lineage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
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

  // UUID.nameUUIDFromBytes looks the MD5 provider up at every call; one digest per thread
  private static final ThreadLocal<java.security.MessageDigest> MD5 =
      ThreadLocal.withInitial(() -> {
        try {
          return java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      });

  /** As {@link UUID#nameUUIDFromBytes} (a version 3 UUID), the same ids. */
  private static UUID uuid(String key) {
    byte[] md5 = MD5.get().digest(key.getBytes(StandardCharsets.UTF_8));
    md5[6] &= 0x0f;
    md5[6] |= 0x30;
    md5[8] &= 0x3f;
    md5[8] |= (byte) 0x80;
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (md5[i] & 0xff);
    }
    for (int i = 8; i < 16; i++) {
      lsb = (lsb << 8) | (md5[i] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  static String event(
      Type type,
      Instant time,
      Subject s,
      List<DatasetRef> inputs,
      List<DatasetRef> outputs,
      String error) {
    // written with the streaming generator, not a tree: a server sends two of these per task
    TaskRunRecord t = s.taskRun();
    var out = new java.io.StringWriter(1024);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("eventType", type.name());
      g.writeStringField("eventTime", time.toString());
      g.writeStringField("producer", PRODUCER);
      g.writeStringField("schemaURL", SCHEMA_URL);
      g.writeObjectFieldStart("run");
      g.writeStringField("runId", attemptId(s.runId(), t.taskId(), t.attempt()).toString());
      g.writeObjectFieldStart("facets");
      facet(g, "parent", "1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet");
      g.writeObjectFieldStart("run");
      g.writeStringField("runId", runUuid(s.runId()).toString());
      g.writeEndObject();
      g.writeObjectFieldStart("job");
      g.writeStringField("namespace", s.namespace());
      g.writeStringField("name", s.flowId());
      g.writeEndObject();
      g.writeEndObject(); // parent
      if (error != null) {
        facet(g, "errorMessage", "1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet");
        g.writeStringField("message", error);
        g.writeStringField("programmingLanguage", "JAVA");
        g.writeEndObject();
      }
      g.writeEndObject(); // facets
      g.writeEndObject(); // run
      g.writeObjectFieldStart("job");
      g.writeStringField("namespace", s.namespace());
      g.writeStringField("name", s.flowId() + "." + t.taskId());
      g.writeObjectFieldStart("facets");
      facet(g, "jobType", "2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet");
      g.writeStringField("processingType", "BATCH");
      g.writeStringField("integration", "WEIR");
      g.writeStringField("jobType", "TASK");
      g.writeEndObject();
      g.writeEndObject(); // facets
      g.writeEndObject(); // job
      datasets(
          g,
          "inputs",
          inputs,
          "inputFacets",
          "inputStatistics",
          "1-0-0/InputStatisticsInputDatasetFacet.json#/$defs/InputStatisticsInputDatasetFacet");
      datasets(
          g,
          "outputs",
          outputs,
          "outputFacets",
          "outputStatistics",
          "1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet");
      g.writeEndObject();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void datasets(
      JsonGenerator g,
      String field,
      List<DatasetRef> refs,
      String facetsKey,
      String statsKey,
      String schema)
      throws java.io.IOException {
    g.writeArrayFieldStart(field);
    for (DatasetRef r : refs) {
      g.writeStartObject();
      g.writeStringField("namespace", r.namespace());
      g.writeStringField("name", r.name());
      if (r.rows() >= 0 || r.bytes() >= 0) {
        g.writeObjectFieldStart(facetsKey);
        facet(g, statsKey, schema);
        if (r.rows() >= 0) {
          g.writeNumberField("rowCount", r.rows());
        }
        if (r.bytes() >= 0) {
          g.writeNumberField("size", r.bytes());
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  // opens a facet object with its producer and schema; the caller closes it
  private static void facet(JsonGenerator g, String name, String schema)
      throws java.io.IOException {
    g.writeObjectFieldStart(name);
    g.writeStringField("_producer", PRODUCER);
    g.writeStringField("_schemaURL", FACETS + schema);
  }
}
