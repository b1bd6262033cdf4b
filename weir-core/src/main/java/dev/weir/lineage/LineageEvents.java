package dev.weir.lineage;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
    // assembled from constant pieces with the few variable values quoted: a server sends two of
    // these per task, and building a JSON tree for each cost a fan-out of no-op tasks ~10 %
    TaskRunRecord t = s.taskRun();
    var b = new StringBuilder(1400);
    b.append("{\"eventType\":\"").append(type.name());
    b.append("\",\"eventTime\":\"").append(time);
    b.append("\",\"producer\":\"").append(PRODUCER);
    b.append("\",\"schemaURL\":\"").append(SCHEMA_URL);
    b.append("\",\"run\":{\"runId\":\"").append(attemptId(s.runId(), t.taskId(), t.attempt()));
    b.append("\",\"facets\":{");
    facet(b, "parent", "1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet");
    b.append(",\"run\":{\"runId\":\"").append(runUuid(s.runId())).append("\"}");
    b.append(",\"job\":{\"namespace\":");
    quote(b, s.namespace()).append(",\"name\":");
    quote(b, s.flowId()).append("}}");
    if (error != null) {
      b.append(',');
      facet(b, "errorMessage", "1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet");
      b.append(",\"message\":");
      quote(b, error).append(",\"programmingLanguage\":\"JAVA\"}");
    }
    b.append("}},\"job\":{\"namespace\":");
    quote(b, s.namespace()).append(",\"name\":");
    quote(b, s.flowId() + "." + t.taskId()).append(",\"facets\":{");
    facet(b, "jobType", "2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet");
    b.append(",\"processingType\":\"BATCH\",\"integration\":\"WEIR\",\"jobType\":\"TASK\"}}}");
    datasets(
        b,
        "inputs",
        inputs,
        "inputFacets",
        "inputStatistics",
        "1-0-0/InputStatisticsInputDatasetFacet.json#/$defs/InputStatisticsInputDatasetFacet");
    datasets(
        b,
        "outputs",
        outputs,
        "outputFacets",
        "outputStatistics",
        "1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet");
    return b.append('}').toString();
  }

  private static void datasets(
      StringBuilder b,
      String field,
      List<DatasetRef> refs,
      String facetsKey,
      String statsKey,
      String schema) {
    b.append(",\"").append(field).append("\":[");
    for (int i = 0; i < refs.size(); i++) {
      DatasetRef r = refs.get(i);
      b.append(i == 0 ? "{\"namespace\":" : ",{\"namespace\":");
      quote(b, r.namespace()).append(",\"name\":");
      quote(b, r.name());
      if (r.rows() >= 0 || r.bytes() >= 0) {
        b.append(",\"").append(facetsKey).append("\":{");
        facet(b, statsKey, schema);
        if (r.rows() >= 0) {
          b.append(",\"rowCount\":").append(r.rows());
        }
        if (r.bytes() >= 0) {
          b.append(",\"size\":").append(r.bytes());
        }
        b.append("}}");
      }
      b.append('}');
    }
    b.append(']');
  }

  // opens a facet object with its producer and schema; the caller adds fields and closes it
  private static void facet(StringBuilder b, String name, String schema) {
    b.append('"').append(name).append("\":{\"_producer\":\"").append(PRODUCER);
    b.append("\",\"_schemaURL\":\"").append(FACETS).append(schema).append('"');
  }

  private static StringBuilder quote(StringBuilder b, String value) {
    b.append('"');
    JsonStringEncoder.getInstance().quoteAsString(value, b);
    return b.append('"');
  }
}
