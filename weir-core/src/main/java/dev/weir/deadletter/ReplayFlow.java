package dev.weir.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.weir.WeirException;
import dev.weir.store.DeadLetterRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * The flow that replays a batch of dead letters: the flow as its file says now (after the fix), cut
 * down to the task that set them aside, reading the letters' records as its dataset. Rows that
 * still fail are set aside again (by the replay run), never failing it.
 */
public final class ReplayFlow {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  // what runs around the task and would run again with it: alerts, triggers, other tasks
  private static final List<String> DROPPED =
      List.of("tasks", "onFailure", "finally", "triggers", "sla", "alerts", "concurrency");

  private ReplayFlow() {}

  /**
   * Why a batch of {@code taskType} cannot be replayed and what to do instead; null when it can.
   */
  public static String cannotReplay(String taskType, String runId) {
    String rerun =
        runId == null
            ? "start the flow again"
            : "`weir retry " + runId + "` (or `weir run` the flow) once the source is fixed";
    return switch (taskType) {
      case "jdbc.load" -> null;
      case "file.read" ->
          "file.read letters are rows of the source file as it was; fix the file and " + rerun;
      case "http.extract" ->
          "http.extract letters are records the API sent; they do not fit the schema, so fix the"
              + " schema (or ask the API's owner) and "
              + rerun;
      case "cdc.postgres", "cdc.mysql" ->
          taskType
              + " letters are changes of a stream that went on without them; fix the target, then"
              + " apply them from the letters by hand, or update the source rows (even to the same"
              + " values) so that they stream again";
      default -> taskType + " letters cannot be replayed by Weir; " + rerun;
    };
  }

  /**
   * @param flowYaml the flow file's text now
   * @param letters a JSON-lines file of the letters' records
   * @param fallbackDir where the replay sets rows aside when the task has no deadLetter now
   * @throws WeirException when the task is gone, changed type, or reads no plain dataset
   */
  public static String build(
      String flowYaml, DeadLetterRecord batch, Path letters, Path fallbackDir) {
    JsonNode root;
    try {
      root = YAML.readTree(flowYaml);
    } catch (Exception e) {
      throw new WeirException("cannot read the flow to replay with: " + e.getMessage(), e);
    }
    String taskId = batch.taskId();
    if (taskId.contains("/") || taskId.contains("[")) {
      throw new WeirException(
          "task "
              + taskId
              + " ran inside a forEach; its letters cannot be replayed alone. Re-run the flow"
              + " (`weir retry "
              + batch.runId()
              + "`) once the data is fixed");
    }
    ObjectNode task = null;
    for (JsonNode t : root.path("tasks")) {
      if (taskId.equals(t.path("id").asText())) {
        task = ((ObjectNode) t).deepCopy();
      }
    }
    if (task == null) {
      throw new WeirException(
          "flow "
              + batch.namespace()
              + "."
              + batch.flowId()
              + " has no task '"
              + taskId
              + "' now; the letters replay through the task that set them aside");
    }
    if (!batch.taskType().equals(task.path("type").asText())) {
      throw new WeirException(
          "task '"
              + taskId
              + "' is a "
              + task.path("type").asText()
              + " now, not the "
              + batch.taskType()
              + " that set the letters aside; replay needs the same task type");
    }
    String dataset = task.path("dataset").asText();
    if (dataset.isEmpty() || dataset.contains("{{")) {
      throw new WeirException(
          "task '"
              + taskId
              + "' names its dataset by a template ("
              + dataset
              + "); replay needs a task id there, e.g. `dataset: shape`");
    }
    ObjectNode flow = ((ObjectNode) root).deepCopy();
    DROPPED.forEach(flow::remove);
    ArrayNode tasks = flow.putArray("tasks");
    tasks
        .addObject()
        .put("id", dataset)
        .put("type", "file.read")
        .put("path", letters.toAbsolutePath().toString())
        .put("format", "json");
    task.remove(List.of("dependsOn", "condition", "runIf"));
    task.putArray("dependsOn").add(dataset);
    ObjectNode dl;
    JsonNode was = task.get("deadLetter");
    if (was instanceof ObjectNode o) {
      dl = o;
    } else {
      dl = task.putObject("deadLetter");
      dl.put(
          "path",
          was != null && was.isTextual() ? was.asText() : fallbackDir.toAbsolutePath() + "/");
    }
    dl.put("maxRejected", "100%");
    task.set("deadLetter", dl);
    tasks.add(task);
    try {
      return YAML.writeValueAsString(flow);
    } catch (Exception e) {
      throw new WeirException("cannot write the replay flow: " + e.getMessage(), e);
    }
  }
}
