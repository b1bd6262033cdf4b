package dev.weir.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.CheckRecord;
import dev.weir.task.Audit;
import dev.weir.task.Reschedule;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A routed attempt's end, as JSON in the attempt queue: what the worker's task returned or threw,
 * read back by the coordinator as the same result or exception. The worker masks secrets out of the
 * text before storing it.
 */
final class RoutedOutcome {
  private RoutedOutcome() {}

  static String succeeded(TaskResult r, List<CheckRecord> checks) {
    ObjectNode o = withChecks(checks);
    o.put("kind", "succeeded");
    o.set("outputs", DatasetCodec.JSON.valueToTree(r.outputs()));
    if (r.dataset() != null) {
      o.put("dataset", DatasetCodec.encode(r.dataset()));
    }
    o.set("state", DatasetCodec.JSON.valueToTree(r.state()));
    o.set("audit", DatasetCodec.JSON.valueToTree(r.audit()));
    return o.toString();
  }

  static String failed(Throwable t, String message, List<CheckRecord> checks) {
    ObjectNode o = withChecks(checks);
    o.put("kind", "failed");
    o.put("message", message);
    boolean permanent = t instanceof dev.weir.expr.ExpressionException;
    if (t instanceof TaskFailedException tf) {
      o.put("retryable", tf.retryable());
      o.put("connection", tf.connectionFailure());
      o.set("outputs", DatasetCodec.JSON.valueToTree(tf.outputs()));
    } else {
      o.put("retryable", !permanent);
    }
    return o.toString();
  }

  static String waiting(Reschedule r, List<CheckRecord> checks) {
    ObjectNode o = withChecks(checks);
    o.put("kind", "waiting");
    o.put("recheckInMs", r.recheckIn().toMillis());
    o.put("message", r.getMessage());
    return o.toString();
  }

  // the check results the task saved on the worker, for the coordinator to store
  private static ObjectNode withChecks(List<CheckRecord> checks) {
    ObjectNode o = DatasetCodec.JSON.createObjectNode();
    if (checks != null) {
      o.set("checks", DatasetCodec.JSON.valueToTree(checks));
    }
    return o;
  }

  /**
   * The outcome with the steps the attempt recorded on the worker, for the coordinator to store.
   */
  static String withSteps(String json, List<StepChange> steps) {
    if (steps.isEmpty()) {
      return json;
    }
    try {
      ObjectNode o = (ObjectNode) DatasetCodec.JSON.readTree(json);
      o.set("steps", DatasetCodec.JSON.valueToTree(steps));
      return o.toString();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt result of a routed attempt: " + json, e);
    }
  }

  /** The steps the attempt recorded on the worker, in the order it recorded them. */
  static List<StepChange> steps(String json) {
    try {
      JsonNode c = DatasetCodec.JSON.readTree(json).get("steps");
      if (c == null || c.isNull()) {
        return List.of();
      }
      // records' derived getters (TaskAuditRecord.isEmpty) are written too: not fields to read
      return DatasetCodec.JSON
          .readerFor(
              DatasetCodec.JSON
                  .getTypeFactory()
                  .constructCollectionType(List.class, StepChange.class))
          .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(c);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("corrupt result of a routed attempt: " + json, e);
    }
  }

  /** The check results the task saved on the worker; null when it saved none. */
  static List<CheckRecord> checks(String json) {
    try {
      JsonNode c = DatasetCodec.JSON.readTree(json).get("checks");
      if (c == null || c.isNull()) {
        return null;
      }
      return DatasetCodec.JSON.convertValue(
          c,
          DatasetCodec.JSON
              .getTypeFactory()
              .constructCollectionType(List.class, CheckRecord.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt result of a routed attempt: " + json, e);
    }
  }

  /**
   * The result a worker stored, or the exception it ended with.
   *
   * @throws TaskFailedException as the task failed on the worker (its message, retryability and
   *     connection failure kept)
   * @throws Reschedule as a sensor's check on the worker asked to look again later
   */
  @SuppressWarnings("unchecked")
  static TaskResult read(String json) {
    JsonNode o;
    try {
      o = DatasetCodec.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt result of a routed attempt: " + json, e);
    }
    switch (o.path("kind").asText()) {
      case "succeeded" -> {
        Map<String, Object> outputs =
            DatasetCodec.JSON.convertValue(o.get("outputs"), LinkedHashMap.class);
        Map<String, String> state = DatasetCodec.JSON.convertValue(o.get("state"), Map.class);
        Audit audit = DatasetCodec.JSON.convertValue(o.get("audit"), Audit.class);
        var dataset =
            o.hasNonNull("dataset") ? DatasetCodec.decode(o.get("dataset").asText()) : null;
        return new TaskResult(outputs, dataset, state, audit);
      }
      case "waiting" ->
          throw Reschedule.in(
              Duration.ofMillis(o.get("recheckInMs").asLong()), o.path("message").asText());
      default -> {
        String message = o.path("message").asText();
        if (o.path("connection").asBoolean()) {
          throw TaskFailedException.connection(message, null);
        }
        Map<String, Object> outputs =
            o.has("outputs")
                ? DatasetCodec.JSON.convertValue(o.get("outputs"), LinkedHashMap.class)
                : Map.of();
        throw new TaskFailedException(message, o.path("retryable").asBoolean(true), outputs, null);
      }
    }
  }
}
