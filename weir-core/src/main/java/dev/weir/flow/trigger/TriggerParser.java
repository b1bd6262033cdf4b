package dev.weir.flow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.Problem;
import dev.weir.flow.YamlTree;
import dev.weir.util.Suggest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a flow's {@code triggers:} list. Every problem is added to the shared list with its YAML
 * path; a trigger with a problem is left out of the result.
 */
public final class TriggerParser {
  public static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  static final List<String> COMMON_KEYS = List.of("id", "type", "inputs", "disabled");
  private static final String EXAMPLE = "{id: daily, type: schedule, cron: \"0 5 * * *\"}";

  private final YamlTree tree;
  private final List<Problem> problems;

  public TriggerParser(YamlTree tree, List<Problem> problems) {
    this.tree = tree;
    this.problems = problems;
  }

  /**
   * @param node the value of {@code triggers:}, or null
   * @param namespace and {@code flowId} of the flow the triggers belong to
   */
  public List<TriggerDef> parse(JsonNode node, String namespace, String flowId) {
    var out = new ArrayList<TriggerDef>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problems.add(
          tree.problem(
              "triggers",
              "expected a list of triggers like ["
                  + EXAMPLE
                  + "], got "
                  + (node.isObject() ? "a mapping; start each trigger with '- '" : node)));
      return out;
    }
    var firstById = new HashMap<String, String>();
    for (int i = 0; i < node.size(); i++) {
      var f = new Fields(node.get(i), "triggers[" + i + "]", tree, problems);
      if (!node.get(i).isObject()) {
        f.problem("", "expected a trigger mapping like " + EXAMPLE + ", got " + node.get(i));
        continue;
      }
      int before = problems.size();
      String id = id(f, firstById);
      TriggerDef t = trigger(f, id, namespace, flowId);
      if (problems.size() == before && t != null) {
        out.add(t);
      }
    }
    return out;
  }

  private String id(Fields f, Map<String, String> firstById) {
    String id = f.requiredText("id", "a trigger", "daily");
    if (id == null) {
      return null;
    }
    if (!ID.matcher(id).matches()) {
      f.problem(
          "id",
          "trigger id '"
              + id
              + "' must start with a letter or '_' and use only letters, digits, '_' and '-'; e.g."
              + " '"
              + id.replaceAll("[^A-Za-z0-9_-]", "_").replaceAll("^([0-9-])", "_$1")
              + "'");
    }
    String first = firstById.putIfAbsent(id, f.location("id"));
    if (first != null) {
      f.problem(
          "id",
          "duplicate trigger id '"
              + id
              + "' (first used at "
              + first
              + "); trigger ids must be unique in a flow, e.g. rename it to '"
              + id
              + "_2'");
    }
    return id;
  }

  private TriggerDef trigger(Fields f, String id, String namespace, String flowId) {
    String owner = id == null ? "a trigger" : "trigger '" + id + "'";
    String type = f.requiredText("type", owner, "schedule");
    if (type == null) {
      return null;
    }
    if (!TriggerDef.TYPES.contains(type)) {
      f.problem(
          "type",
          "unknown trigger type '"
              + type
              + "'"
              + Suggest.didYouMean(type, TriggerDef.TYPES)
              + " (known: "
              + String.join(", ", TriggerDef.TYPES)
              + ")");
      return null;
    }
    String what = "a " + type + " trigger";
    Map<String, String> inputs = inputs(f);
    boolean disabled = f.bool("disabled", false);
    String name = id == null ? "?" : id;
    return switch (type) {
      case ScheduleTrigger.TYPE -> {
        f.unknownKeys(keys(ScheduleReader.KEYS), what);
        yield new ScheduleReader(f).read(name, inputs, disabled);
      }
      case WebhookTrigger.TYPE -> {
        f.unknownKeys(keys(List.of("key")), what);
        yield webhook(f, name, inputs, disabled);
      }
      case FlowTrigger.TYPE -> {
        f.unknownKeys(keys(List.of("upstream")), what);
        yield new UpstreamReader(f, namespace, flowId).read(name, inputs, disabled);
      }
      case QueueTrigger.RABBITMQ, QueueTrigger.NATS, QueueTrigger.MQTT, QueueTrigger.KAFKA -> {
        f.unknownKeys(keys(QueueReader.keys(type)), what);
        yield new QueueReader(f, namespace, flowId).read(type, name, inputs, disabled);
      }
      default -> {
        f.unknownKeys(keys(FileReader.KEYS), what);
        yield new FileReader(f).read(name, inputs, disabled);
      }
    };
  }

  private static List<String> keys(List<String> own) {
    return Stream.concat(COMMON_KEYS.stream(), own.stream()).toList();
  }

  /** {@code inputs: {name: value}}; values are kept as text (a list or mapping as JSON). */
  private static Map<String, String> inputs(Fields f) {
    var out = new LinkedHashMap<String, String>();
    JsonNode v = f.get("inputs");
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      f.problem("inputs", "expected a mapping of run inputs like {day: \"2026-01-31\"}, got " + v);
      return out;
    }
    v.fields()
        .forEachRemaining(e -> {
          JsonNode value = e.getValue();
          if (value.isNull()) {
            f.problem(
                "inputs." + e.getKey(),
                "input '" + e.getKey() + "' has no value; give one or remove it");
          } else {
            out.put(e.getKey(), value.isValueNode() ? value.asText() : value.toString());
          }
        });
    return out;
  }

  private static WebhookTrigger webhook(
      Fields f, String id, Map<String, String> inputs, boolean disabled) {
    String key =
        f.requiredText("key", "webhook trigger '" + id + "'", "\"{{ secret('HOOK_KEY') }}\"");
    if (key == null) {
      return null;
    }
    if (!key.contains("{{") && key.length() < WebhookTrigger.MIN_LITERAL_KEY) {
      f.problem(
          "key",
          "a webhook key written in the flow must be at least "
              + WebhookTrigger.MIN_LITERAL_KEY
              + " characters, this one has "
              + key.length()
              + "; better keep it out of the file in a secret, e.g."
              + " `key: \"{{ secret('HOOK_KEY') }}\"`");
      return null;
    }
    return new WebhookTrigger(id, key, inputs, disabled);
  }
}
