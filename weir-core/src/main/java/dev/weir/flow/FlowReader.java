package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.alert.AlertParser;
import dev.weir.flow.trigger.TriggerParser;
import dev.weir.util.Suggest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a flow file's top level into a {@link Flow}: id, namespace, labels, inputs, variables,
 * timeout, retry, parallelism and concurrency; tasks go to {@link TaskReader}, triggers to {@link
 * TriggerParser}, sla and alerts to {@link AlertParser}.
 */
final class FlowReader {
  private final YamlTree tree;
  private final List<Problem> problems;
  private final FieldReader fields;
  private final TaskReader taskReader;

  FlowReader(YamlTree tree, List<Problem> problems) {
    this.tree = tree;
    this.problems = problems;
    this.fields = new FieldReader(tree, problems);
    this.taskReader = new TaskReader(tree, problems, fields);
  }

  private void problem(String path, String message) {
    problems.add(tree.problem(path, message));
  }

  Flow read(FlowSource source) {
    JsonNode root = tree.root();
    if (!root.isObject()) {
      problem("", "a flow file must be a YAML mapping with at least 'id' and 'tasks'");
      return null;
    }
    fields.unknownKeys(root, "", FlowParser.FLOW_KEYS, "a flow");
    String id = fields.requiredText(root, "id", "orders_daily");
    if (id != null && !FlowParser.FLOW_ID.matcher(id).matches()) {
      problem(
          "id",
          "flow id '"
              + id
              + "' may only use a-z, 0-9, '_' and '-'; e.g. '"
              + id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_")
              + "'");
    }
    String namespace = fields.optionalText(root, "namespace");
    if (namespace == null) {
      namespace = "default";
    } else if (!FlowParser.NAMESPACE.matcher(namespace).matches()) {
      problem(
          "namespace",
          "namespace '"
              + namespace
              + "' must be dotted lower-case words like 'shop.sales' (a-z, 0-9, '_', '-')");
    }
    Duration timeout = fields.durationAt(root, "timeout");
    RetryPolicy retry = fields.retry(root, "retry", RetryPolicy.NONE);
    int parallelism = Flow.DEFAULT_PARALLELISM;
    JsonNode par = root.get("parallelism");
    if (par != null) {
      if (par.canConvertToInt() && par.isIntegralNumber() && par.intValue() >= 1) {
        parallelism = par.intValue();
      } else {
        problem("parallelism", "expected a whole number of at least 1, got " + par);
      }
    }
    JsonNode tasksNode = root.get("tasks");
    if (tasksNode == null || (tasksNode.isArray() && tasksNode.isEmpty())) {
      problem(
          tasksNode == null ? "" : "tasks",
          "a flow needs at least one task under 'tasks:', e.g."
              + " `tasks: [{id: hello, type: log, message: Hello}]`");
    }
    return new Flow(
        id == null ? "invalid" : id,
        namespace,
        fields.optionalText(root, "description"),
        labels(root),
        inputs(root),
        variables(root),
        timeout,
        retry,
        parallelism,
        taskReader.tasks(root, TaskDef.Phase.MAIN),
        taskReader.tasks(root, TaskDef.Phase.ON_FAILURE),
        taskReader.tasks(root, TaskDef.Phase.FINALLY),
        new TriggerParser(tree, problems)
            .parse(root.get("triggers"), namespace, id == null ? "invalid" : id),
        concurrency(root),
        source,
        new AlertParser(tree, problems).sla(root.get("sla")),
        new AlertParser(tree, problems).alerts(root.get("alerts")));
  }

  private Map<String, String> labels(JsonNode root) {
    var out = new LinkedHashMap<String, String>();
    JsonNode v = root.get("labels");
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      problem("labels", "expected a mapping like {team: data}, got " + v);
      return out;
    }
    v.fields()
        .forEachRemaining(e -> {
          if (e.getValue().isValueNode()) {
            out.put(e.getKey(), e.getValue().asText());
          } else {
            problem("labels." + e.getKey(), "a label value must be text");
          }
        });
    return out;
  }

  private Map<String, JsonNode> variables(JsonNode root) {
    var out = new LinkedHashMap<String, JsonNode>();
    JsonNode v = root.get("variables");
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      problem("variables", "expected a mapping like {table: analytics.orders}, got " + v);
      return out;
    }
    v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private List<InputDef> inputs(JsonNode root) {
    var out = new ArrayList<InputDef>();
    JsonNode v = root.get("inputs");
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problem("inputs", "expected a list of inputs like [{id: day, type: date}], got " + v);
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      String path = "inputs[" + i + "]";
      JsonNode in = v.get(i);
      if (!in.isObject()) {
        problem(path, "expected a mapping like {id: day, type: date}, got " + in);
        continue;
      }
      fields.unknownKeys(in, path, FlowParser.INPUT_KEYS, "an input");
      String id = fields.requiredText(in, path, "id", "day", "an input");
      String typeName = fields.requiredText(in, path, "type", "string", "an input");
      InputType type = InputType.STRING;
      if (typeName != null) {
        try {
          type = InputType.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          List<String> names =
              java.util.Arrays.stream(InputType.values()).map(InputType::yamlName).toList();
          problem(
              path + ".type",
              "unknown input type '"
                  + typeName
                  + "'"
                  + Suggest.didYouMean(typeName, names)
                  + " (known: "
                  + String.join(", ", names)
                  + ")");
        }
      }
      JsonNode req = in.get("required");
      if (req != null && !req.isBoolean()) {
        problem(path + ".required", "expected true or false, got " + req);
      }
      JsonNode def = in.get("default");
      if (def != null && !def.isNull() && !ConfigBinder.containsTemplate(def)) {
        try {
          type.fromNode(def);
        } catch (IllegalArgumentException e) {
          problem(path + ".default", "default " + e.getMessage());
        }
      }
      if (id != null) {
        out.add(
            new InputDef(
                id,
                type,
                req == null || req.asBoolean(true),
                def == null || def.isNull() ? null : def,
                in.hasNonNull("description") ? in.get("description").asText() : null));
      }
    }
    return out;
  }

  private Concurrency concurrency(JsonNode root) {
    JsonNode v = root.get("concurrency");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      problem("concurrency", "expected a mapping like {limit: 1, onLimit: queue}, got " + v);
      return null;
    }
    fields.unknownKeys(v, "concurrency", FlowParser.CONCURRENCY_KEYS, "concurrency");
    JsonNode limit = v.get("limit");
    boolean ok = true;
    if (limit == null || limit.isNull()) {
      problem(
          "concurrency",
          "missing required property 'limit' for concurrency, the most runs of this flow at"
              + " once; add it, e.g. `concurrency: {limit: 1, onLimit: queue}`");
      ok = false;
    } else if (!limit.isIntegralNumber() || !limit.canConvertToInt() || limit.intValue() < 1) {
      problem(
          "concurrency.limit",
          "limit must be a whole number of at least 1, got " + limit + "; e.g. `limit: 1`");
      ok = false;
    }
    Concurrency.OnLimit onLimit = Concurrency.OnLimit.QUEUE;
    JsonNode ol = v.get("onLimit");
    if (ol != null && !ol.isNull()) {
      List<String> names = List.of("queue", "skip", "fail");
      String text = ol.asText();
      if (ol.isTextual() && names.contains(text.strip().toLowerCase(Locale.ROOT))) {
        onLimit = Concurrency.OnLimit.valueOf(text.strip().toUpperCase(Locale.ROOT));
      } else {
        problem(
            "concurrency.onLimit",
            "onLimit must be queue, skip or fail, got '"
                + text
                + "'"
                + Suggest.didYouMean(text, names));
        ok = false;
      }
    }
    return ok ? new Concurrency(limit.intValue(), onLimit) : null;
  }
}
