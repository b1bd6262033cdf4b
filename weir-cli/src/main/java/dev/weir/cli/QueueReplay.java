package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.engine.RunListener;
import dev.weir.flow.Flow;
import dev.weir.flow.trigger.QueueTrigger;
import dev.weir.flow.trigger.TriggerDef;
import dev.weir.store.DeadLetterRecord;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a queue trigger's dead letters (messages whose run could not start): one run per stored
 * message, or per {@code maxBatch} of them, started from the flow file as it is now, with {@code
 * trigger.*} as the message gave it. Runs in this process, as {@code weir run} does.
 */
final class QueueReplay {
  static final String PREFIX = "trigger:";

  private QueueReplay() {}

  static boolean isQueueBatch(DeadLetterRecord b) {
    return b.runId() == null && b.taskId().startsWith(PREFIX) && b.taskType().startsWith("queue.");
  }

  static int replay(
      DeadLetterRecord b,
      Path flowFile,
      StateStore store,
      Home home,
      StoreOptions storeOptions,
      PrintWriter out,
      PrintWriter err)
      throws Exception {
    String triggerId = b.taskId().substring(PREFIX.length());
    String broker = b.taskType().substring("queue.".length());
    if (flowFile == null) {
      throw new WeirException(
          "batch "
              + b.id()
              + " holds messages of "
              + broker
              + " trigger '"
              + triggerId
              + "' of "
              + b.namespace()
              + "."
              + b.flowId()
              + " whose run could not start; name the flow file to start their runs with, e.g."
              + " `weir deadletters replay "
              + b.id()
              + " --flow flows/"
              + b.flowId()
              + ".yaml`");
    }
    if (!Files.isRegularFile(flowFile)) {
      throw new WeirException("no flow file " + flowFile + "; give the file of " + b.flowId());
    }
    List<ObjectNode> letters =
        DeadLettersCommand.read(
            b,
            Integer.MAX_VALUE,
            storeOptions.surroundings(),
            flowFile.toAbsolutePath().getParent());
    try (Engine engine =
        EngineFactory.create(
            store, home.dir(), RunListener.NONE, storeOptions.surroundings(), err)) {
      Flow flow = engine.parser().parse(flowFile);
      if (!flow.namespace().equals(b.namespace()) || !flow.id().equals(b.flowId())) {
        throw new WeirException(
            flowFile
                + " is flow "
                + flow.namespace()
                + "."
                + flow.id()
                + ", but batch "
                + b.id()
                + " is of "
                + b.namespace()
                + "."
                + b.flowId());
      }
      QueueTrigger t = trigger(flow, triggerId, b);
      out.printf(
          "Replaying batch %s (%,d messages of %s trigger %s) with %s as it is now%n",
          b.id(), letters.size(), t.type(), t.id(), flowFile.getFileName());
      out.flush();
      var handles = new ArrayList<RunHandle>();
      int refused = 0;
      String firstReason = null;
      for (List<Map<String, Object>> group : groups(t, letters)) {
        Map<String, Object> data = t.maxBatch() == 1 ? group.get(0) : batch(t, group);
        try {
          var inputs = engine.renderTriggerInputs(flow, t.type(), t.inputs(), data);
          handles.add(
              engine.start(new Engine.StartRequest(flow, flowFile, inputs, t.type(), null, data)));
        } catch (WeirException e) {
          refused += group.size();
          firstReason = firstReason == null ? e.getMessage() : firstReason;
        }
      }
      int succeeded = 0;
      String lastRun = null;
      for (RunHandle h : handles) {
        RunRecord r = h.await();
        lastRun = r.id();
        succeeded += r.state() == RunState.SUCCEEDED ? 1 : 0;
      }
      String outcome =
          "started "
              + handles.size()
              + " run"
              + (handles.size() == 1 ? "" : "s")
              + " ("
              + succeeded
              + " succeeded), "
              + refused
              + " still cannot start"
              + (firstReason == null ? "" : " (first: " + Progress.firstLine(firstReason) + ")");
      store.deadLetters().markReplayed(b.id(), Instant.now(), lastRun, outcome);
      out.println(outcome);
      return refused == 0 && succeeded == handles.size() ? 0 : Errors.FAILED;
    }
  }

  private static QueueTrigger trigger(Flow flow, String id, DeadLetterRecord b) {
    for (TriggerDef d : flow.triggers()) {
      if (d instanceof QueueTrigger q && q.id().equals(id)) {
        return q;
      }
    }
    throw new WeirException(
        "flow "
            + b.namespace()
            + "."
            + b.flowId()
            + " has no queue trigger '"
            + id
            + "' now; the messages replay through the trigger that received them");
  }

  /**
   * Each letter's message as {@code trigger.*} would have shown it (the shape weir-server's
   * QueueMessages gives), in groups of maxBatch.
   */
  private static List<List<Map<String, Object>>> groups(QueueTrigger t, List<ObjectNode> letters) {
    var out = new ArrayList<List<Map<String, Object>>>();
    List<Map<String, Object>> current = new ArrayList<>();
    for (ObjectNode l : letters) {
      current.add(message(t, l.path("record")));
      if (current.size() == t.maxBatch()) {
        out.add(current);
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private static Map<String, Object> message(QueueTrigger t, JsonNode r) {
    var d = new LinkedHashMap<String, Object>();
    d.put("id", t.id());
    String messageId = text(r, "messageId");
    d.put("messageId", messageId);
    d.put("key", messageId);
    d.put("messageKey", text(r, "messageKey"));
    String body = text(r, "body");
    d.put("body", body);
    d.put("json", json(body));
    d.put(
        "headers",
        r.path("headers").isObject()
            ? JsonOut.MAPPER.convertValue(r.get("headers"), Map.class)
            : Map.of());
    d.put("source", text(r, "source"));
    d.put("publishedAt", text(r, "publishedAt"));
    return d;
  }

  private static Map<String, Object> batch(QueueTrigger t, List<Map<String, Object>> messages) {
    var d = new LinkedHashMap<String, Object>();
    d.put("id", t.id());
    var each = new ArrayList<Map<String, Object>>();
    for (Map<String, Object> m : messages) {
      var copy = new LinkedHashMap<>(m);
      copy.remove("id");
      each.add(copy);
    }
    d.put("messages", each);
    d.put("count", messages.size());
    return d;
  }

  private static String text(JsonNode r, String key) {
    JsonNode v = r.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Object json(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JsonOut.MAPPER.readValue(body, Object.class);
    } catch (Exception e) {
      return null;
    }
  }
}
