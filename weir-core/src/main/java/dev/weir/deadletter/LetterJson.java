package dev.weir.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Builds the JSON of one dead letter of an origin, its record and reason masked. */
final class LetterJson {
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private final Origin origin;
  private final String taskType;
  private final UnaryOperator<String> mask;
  private final InstantSource clock;

  LetterJson(Origin origin, String taskType, UnaryOperator<String> mask, InstantSource clock) {
    this.origin = origin;
    this.taskType = taskType;
    this.mask = mask;
    this.clock = clock;
  }

  /** The reason as a letter carries it: masked, never null. */
  String reason(String reason) {
    return mask.apply(reason == null ? "(no reason given)" : reason);
  }

  /** The letter of {@code record}; {@code why} is masked already (see {@link #reason}). */
  ObjectNode letter(Object record, String why) {
    ObjectNode letter = JsonNodeFactory.instance.objectNode();
    letter.set("record", masked(toJson(record)));
    letter.put("reason", why);
    letter.put("namespace", origin.namespace());
    letter.put("flow", origin.flowId());
    letter.put("run", origin.runId());
    letter.put("task", origin.taskId());
    letter.put("taskType", taskType);
    letter.put("attempt", origin.attempt());
    letter.put("at", clock.instant().toString());
    return letter;
  }

  private static JsonNode toJson(Object record) {
    if (record instanceof JsonNode n) {
      return n.deepCopy();
    }
    if (record instanceof String s) {
      return TextNode.valueOf(s);
    }
    try {
      return JSON.valueToTree(record);
    } catch (IllegalArgumentException e) {
      return TextNode.valueOf(String.valueOf(record));
    }
  }

  // every text of the record, at any depth, field names too: a secret may sit anywhere
  private JsonNode masked(JsonNode n) {
    if (n.isTextual()) {
      return TextNode.valueOf(mask.apply(n.asText()));
    }
    if (n instanceof ArrayNode a) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      a.forEach(e -> out.add(masked(e)));
      return out;
    }
    if (n instanceof ObjectNode o) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        var e = it.next();
        out.set(mask.apply(e.getKey()), masked(e.getValue()));
      }
      return out;
    }
    return n;
  }
}
