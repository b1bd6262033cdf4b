package dev.weir.lineage;

import dev.weir.store.TaskRunRecord;
import dev.weir.task.DatasetRef;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Builds OpenLineage run events (spec 2-0-2): for a flow run (job {@code <flow id>}) and for each
 * task attempt (job {@code <flow id>.<task id>}, with the flow run as its {@code parent}).
 */
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
    return toUuid(attemptDigest(runId, taskId, attempt));
  }

  /** A stable UUID for a flow run, the parent of its task attempts. */
  static UUID runUuid(String runId) {
    Md5 m = MD5.get();
    m.key.reset();
    m.key.raw(PREFIX).plain(runId);
    return toUuid(m.digest());
  }

  private static final byte[] PREFIX = JsonBytes.ascii("weir:");

  // UUID.nameUUIDFromBytes looks the MD5 provider up and builds the key's bytes at every call; each
  // thread keeps one digest, its key buffer and its output (two ids per task on a busy server)
  private static final class Md5 {
    final java.security.MessageDigest digest;
    final JsonBytes key = new JsonBytes(128);
    final byte[] out = new byte[16];

    Md5() {
      try {
        digest = java.security.MessageDigest.getInstance("MD5");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The MD5 of the key, with the bits of a version 3 UUID set, as UUID.nameUUIDFromBytes. */
    byte[] digest() {
      digest.update(key.buffer(), 0, key.length());
      try {
        digest.digest(out, 0, 16);
      } catch (java.security.DigestException e) {
        throw new IllegalStateException(e);
      }
      out[6] &= 0x0f;
      out[6] |= 0x30;
      out[8] &= 0x3f;
      out[8] |= (byte) 0x80;
      return out;
    }
  }

  private static final ThreadLocal<Md5> MD5 = ThreadLocal.withInitial(Md5::new);

  // the id's 16 bytes, valid until this thread's next id
  private static byte[] attemptDigest(String runId, String taskId, int attempt) {
    Md5 m = MD5.get();
    m.key.reset();
    m.key.raw(PREFIX).plain(runId).raw(':').plain(taskId).raw(':').number(attempt);
    return m.digest();
  }

  private static UUID toUuid(byte[] md5) {
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

  /**
   * The pieces every event about the attempts of one flow run shares, masked and encoded once: the
   * parent run facet and the start of the job's name.
   */
  record RunPart(byte[] parent, byte[] job) {}

  private static final byte[] HEAD = JsonBytes.ascii("{\"eventType\":\"");
  private static final byte[][] TYPES = {
    JsonBytes.ascii("START"),
    JsonBytes.ascii("COMPLETE"),
    JsonBytes.ascii("FAIL"),
    JsonBytes.ascii("ABORT")
  };
  private static final byte[] TIME = JsonBytes.ascii("\",\"eventTime\":\"");
  private static final byte[] RUN_ID =
      JsonBytes.ascii(
          "\",\"producer\":\""
              + PRODUCER
              + "\",\"schemaURL\":\""
              + SCHEMA_URL
              + "\",\"run\":{\"runId\":\"");
  private static final byte[] RUN_FACETS = JsonBytes.ascii("\",\"facets\":{");
  private static final byte[] ERROR =
      JsonBytes.ascii(
          ","
              + facet("errorMessage", "1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet")
              + ",\"message\":\"");
  private static final byte[] ERROR_END = JsonBytes.ascii("\",\"programmingLanguage\":\"JAVA\"}");
  private static final byte[] JOB_FACETS =
      JsonBytes.ascii(
          "\",\"facets\":{"
              + facet("jobType", "2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet")
              + ",\"processingType\":\"BATCH\",\"integration\":\"WEIR\",\"jobType\":\"TASK\"}}}");
  private static final byte[] INPUTS = JsonBytes.ascii(",\"inputs\":[");
  private static final byte[] OUTPUTS = JsonBytes.ascii(",\"outputs\":[");
  private static final byte[] DATASET = JsonBytes.ascii("{\"namespace\":");
  private static final byte[] NAME = JsonBytes.ascii(",\"name\":");
  private static final byte[] INPUT_STATS =
      JsonBytes.ascii(
          ",\"inputFacets\":{"
              + facet(
                  "inputStatistics",
                  "1-0-0/InputStatisticsInputDatasetFacet.json#/$defs/InputStatisticsInputDatasetFacet"));
  private static final byte[] OUTPUT_STATS =
      JsonBytes.ascii(
          ",\"outputFacets\":{"
              + facet(
                  "outputStatistics",
                  "1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet"));
  private static final byte[] ROWS = JsonBytes.ascii(",\"rowCount\":");
  private static final byte[] SIZE = JsonBytes.ascii(",\"size\":");
  private static final byte[] STATS_END = JsonBytes.ascii("}}");

  /**
   * The shared pieces of the events of a flow run; {@code mask} is applied to each value (not to
   * the JSON around it, so a secret never hides in an escape and masking never breaks the JSON).
   */
  static RunPart runPart(
      String namespace, String flowId, String runId, UnaryOperator<String> mask) {
    var b = new JsonBytes(512);
    b.raw(
        JsonBytes.ascii(
            facet("parent", "1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet")
                + ",\"run\":{\"runId\":\""));
    b.uuid(runUuid(runId)).raw(JsonBytes.ascii("\"},\"job\":{\"namespace\":"));
    b.quoted(mask.apply(namespace)).raw(NAME).quoted(mask.apply(flowId)).raw(JsonBytes.ascii("}}"));
    byte[] parent = b.toByteArray();
    b.reset();
    b.raw(JsonBytes.ascii("}},\"job\":{\"namespace\":"))
        .quoted(mask.apply(namespace))
        .raw(NAME)
        .raw('"')
        .escaped(mask.apply(flowId))
        .raw('.');
    return new RunPart(parent, b.toByteArray());
  }

  /**
   * Appends the event of an attempt to {@code out}: assembled from constant pieces, the run's
   * shared pieces and the few values of the attempt, each passed through {@code mask}. A server
   * writes two of these per task; building a JSON tree or string for each cost a fan-out of no-op
   * tasks 10-20 %.
   */
  static void write(
      JsonBytes out,
      Type type,
      Instant time,
      RunPart run,
      String runId,
      TaskRunRecord t,
      List<DatasetRef> inputs,
      List<DatasetRef> outputs,
      String error,
      UnaryOperator<String> mask) {
    out.raw(HEAD).raw(TYPES[type.ordinal()]).raw(TIME).instant(time).raw(RUN_ID);
    out.uuid(attemptDigest(runId, t.taskId(), t.attempt())).raw(RUN_FACETS).raw(run.parent());
    if (error != null) {
      out.raw(ERROR).escaped(mask.apply(error)).raw(ERROR_END);
    }
    out.raw(run.job()).escaped(mask.apply(t.taskId())).raw(JOB_FACETS);
    datasets(out, INPUTS, inputs, INPUT_STATS, mask);
    datasets(out, OUTPUTS, outputs, OUTPUT_STATS, mask);
    out.raw('}');
  }

  private static final byte[] FLOW_JOB_FACETS =
      JsonBytes.ascii(
          ",\"facets\":{"
              + facet("jobType", "2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet")
              + ",\"processingType\":\"BATCH\",\"integration\":\"WEIR\",\"jobType\":\"DAG\"}}}");
  // the task events' error piece starts with the comma that follows their parent facet
  private static final byte[] RUN_ERROR = Arrays.copyOfRange(ERROR, 1, ERROR.length);
  private static final byte[] FLOW_JOB = JsonBytes.ascii("}},\"job\":{\"namespace\":");
  private static final byte[] NO_DATASETS = JsonBytes.ascii(",\"inputs\":[],\"outputs\":[]}");

  /**
   * Appends the event of a flow run itself to {@code out}: job {@code namespace}/{@code flowId},
   * run id {@link #runUuid} (the id its task attempts name as their parent), and an {@code
   * errorMessage} facet when {@code error} is not null. Its datasets are on its tasks' events.
   */
  static void writeRun(
      JsonBytes out,
      Type type,
      Instant time,
      String namespace,
      String flowId,
      String runId,
      String error,
      UnaryOperator<String> mask) {
    out.raw(HEAD).raw(TYPES[type.ordinal()]).raw(TIME).instant(time).raw(RUN_ID);
    out.uuid(runUuid(runId)).raw(RUN_FACETS);
    if (error != null) {
      out.raw(RUN_ERROR).escaped(mask.apply(error)).raw(ERROR_END);
    }
    out.raw(FLOW_JOB)
        .quoted(mask.apply(namespace))
        .raw(NAME)
        .quoted(mask.apply(flowId))
        .raw(FLOW_JOB_FACETS)
        .raw(NO_DATASETS);
  }

  /** A flow run's event as a string, with nothing masked (for tests and tools). */
  static String runEvent(
      Type type, Instant time, String namespace, String flowId, String runId, String error) {
    var out = new JsonBytes(700);
    writeRun(out, type, time, namespace, flowId, runId, error, v -> v);
    return out.toString();
  }

  /** One event as a string, with nothing masked (for tests and tools). */
  static String event(
      Type type,
      Instant time,
      Subject s,
      List<DatasetRef> inputs,
      List<DatasetRef> outputs,
      String error) {
    var out = new JsonBytes(1400);
    UnaryOperator<String> none = v -> v;
    write(
        out,
        type,
        time,
        runPart(s.namespace(), s.flowId(), s.runId(), none),
        s.runId(),
        s.taskRun(),
        inputs,
        outputs,
        error,
        none);
    return out.toString();
  }

  private static void datasets(
      JsonBytes b, byte[] field, List<DatasetRef> refs, byte[] stats, UnaryOperator<String> mask) {
    b.raw(field);
    for (int i = 0; i < refs.size(); i++) {
      DatasetRef r = refs.get(i);
      if (i > 0) {
        b.raw(',');
      }
      b.raw(DATASET).quoted(mask.apply(r.namespace())).raw(NAME).quoted(mask.apply(r.name()));
      if (r.rows() >= 0 || r.bytes() >= 0) {
        b.raw(stats);
        if (r.rows() >= 0) {
          b.raw(ROWS).number(r.rows());
        }
        if (r.bytes() >= 0) {
          b.raw(SIZE).number(r.bytes());
        }
        b.raw(STATS_END);
      }
      b.raw('}');
    }
    b.raw(']');
  }

  // opens a facet object with its producer and schema; the caller adds fields and closes it
  private static String facet(String name, String schema) {
    return "\""
        + name
        + "\":{\"_producer\":\""
        + PRODUCER
        + "\",\"_schemaURL\":\""
        + FACETS
        + schema
        + "\"";
  }
}
