package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.flow.alert.AlertParser;
import dev.weir.flow.trigger.TriggerParser;
import dev.weir.task.TaskRegistry;
import dev.weir.util.Suggest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a flow file into a {@link Flow}, or fails with every problem found, each with {@code
 * file:line:col}. Structure is checked here; cross-task rules (ids, dependencies, cycles,
 * expressions, datasets) in {@link FlowValidator}.
 */
public final class FlowParser {
  public static final Pattern FLOW_ID = Pattern.compile("[a-z0-9_-]+");
  public static final Pattern NAMESPACE = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
  static final Pattern TASK_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  static final Pattern POOL = Pattern.compile("[A-Za-z0-9_.-]+");
  static final List<String> FLOW_KEYS =
      List.of(
          "id",
          "namespace",
          "description",
          "labels",
          "inputs",
          "variables",
          "concurrency",
          "timeout",
          "retry",
          "parallelism",
          "tasks",
          "onFailure",
          "finally",
          "triggers",
          "sla",
          "alerts");
  static final List<String> TASK_KEYS =
      List.of(
          "id",
          "type",
          "description",
          "dependsOn",
          "runIf",
          "condition",
          "timeout",
          "retry",
          "pool",
          "deadLetter");
  static final List<String> CONCURRENCY_KEYS = List.of("limit", "onLimit");
  static final List<String> INPUT_KEYS =
      List.of("id", "type", "required", "default", "description");

  private final TaskRegistry registry;

  public FlowParser(TaskRegistry registry) {
    this.registry = registry;
  }

  /**
   * A flow that can run, and what validation warns about in it: things that work but should not be
   * written that way (e.g. a script that inlines a webhook's data). Warnings never fail.
   *
   * @param warnings {@code file:line:col path: warning: …}, in file order
   */
  public record Parsed(Flow flow, List<Problem> warnings) {
    public Parsed {
      warnings = List.copyOf(warnings);
    }
  }

  public Flow parse(Path file) {
    return read(file).flow();
  }

  /**
   * @throws FlowDefinitionException with every problem when the flow cannot run
   */
  public Flow parse(String file, String text) {
    return read(file, text).flow();
  }

  /** As {@link #parse(Path)}, with the warnings. */
  public Parsed read(Path file) {
    return read(file.toString(), FlowSource.read(file));
  }

  /**
   * @throws FlowDefinitionException with every problem when the flow cannot run
   */
  public Parsed read(String file, String text) {
    var problems = new ArrayList<Problem>();
    YamlTree tree = YamlTree.parse(file, text, problems);
    Flow flow = null;
    if (problems.isEmpty()) {
      flow = new Reader(tree, problems).read(FlowSource.of(file, text));
      if (flow != null) {
        new FlowValidator(registry, tree, problems).validate(flow);
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(null);
      throw new FlowDefinitionException(problems);
    }
    var warnings = new ArrayList<>(new ScriptInjection(registry, tree).warnings(flow));
    warnings.sort(null);
    return new Parsed(flow, warnings);
  }

  private final class Reader {
    private final YamlTree tree;
    private final List<Problem> problems;

    Reader(YamlTree tree, List<Problem> problems) {
      this.tree = tree;
      this.problems = problems;
    }

    void problem(String path, String message) {
      problems.add(tree.problem(path, message));
    }

    Flow read(FlowSource source) {
      JsonNode root = tree.root();
      if (!root.isObject()) {
        problem("", "a flow file must be a YAML mapping with at least 'id' and 'tasks'");
        return null;
      }
      unknownKeys(root, "", FLOW_KEYS, "a flow");
      String id = requiredText(root, "id", "orders_daily");
      if (id != null && !FLOW_ID.matcher(id).matches()) {
        problem(
            "id",
            "flow id '"
                + id
                + "' may only use a-z, 0-9, '_' and '-'; e.g. '"
                + id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_")
                + "'");
      }
      String namespace = optionalText(root, "namespace");
      if (namespace == null) {
        namespace = "default";
      } else if (!NAMESPACE.matcher(namespace).matches()) {
        problem(
            "namespace",
            "namespace '"
                + namespace
                + "' must be dotted lower-case words like 'shop.sales' (a-z, 0-9, '_', '-')");
      }
      Duration timeout = durationAt(root, "timeout");
      RetryPolicy retry = retry(root, "retry", RetryPolicy.NONE);
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
          optionalText(root, "description"),
          labels(root),
          inputs(root),
          variables(root),
          timeout,
          retry,
          parallelism,
          tasks(root, TaskDef.Phase.MAIN),
          tasks(root, TaskDef.Phase.ON_FAILURE),
          tasks(root, TaskDef.Phase.FINALLY),
          new TriggerParser(tree, problems)
              .parse(root.get("triggers"), namespace, id == null ? "invalid" : id),
          concurrency(root),
          source,
          new AlertParser(tree, problems).sla(root.get("sla")),
          new AlertParser(tree, problems).alerts(root.get("alerts")));
    }

    void unknownKeys(JsonNode node, String path, List<String> known, String what) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!known.contains(k)) {
          problem(
              join(path, k),
              "unknown property '"
                  + k
                  + "' for "
                  + what
                  + Suggest.didYouMean(k, known)
                  + " (known: "
                  + String.join(", ", known)
                  + ")"
                  + hint(join(path, k), k, known));
        }
      }
    }

    /** A key outdented out of the block above it: say so, unless it reads as a typo. */
    String hint(String path, String key, List<String> known) {
      return Suggest.didYouMean(key, known).isEmpty() ? tree.indentationHint(path) : "";
    }

    String requiredText(JsonNode node, String key, String example) {
      return requiredText(node, "", key, example, "the flow");
    }

    String requiredText(JsonNode node, String path, String key, String example, String owner) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        problem(path, Problem.missing(key, owner, example));
        return null;
      }
      if (!v.isValueNode() || v.isBoolean()) {
        problem(join(path, key), "expected text, got " + v);
        return null;
      }
      return v.asText();
    }

    String optionalText(JsonNode node, String key) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isValueNode()) {
        problem(key, "expected text, got " + v);
        return null;
      }
      return v.asText();
    }

    RetryPolicy retry(JsonNode node, String path, RetryPolicy fallback) {
      String key = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (!v.isObject()) {
        problem(
            path,
            "expected a mapping like {attempts: 3, backoff: exponential, delay: 10s}, got " + v);
        return fallback;
      }
      List<Problem> found =
          ConfigBinder.check((ObjectNode) v, RetrySpec.class, path, tree, "retry");
      JsonNode attempts = v.get("attempts");
      if (found.isEmpty()
          && attempts != null
          && attempts.isIntegralNumber()
          && attempts.asInt() < 1) {
        problem(
            path + ".attempts",
            "attempts counts every try and must be at least 1 (1 means no retry), got "
                + attempts
                + "; e.g. `attempts: 3`");
        return fallback;
      }
      if (!found.isEmpty()) {
        problems.addAll(found);
        return fallback;
      }
      try {
        RetrySpec spec = ConfigBinder.bind(v, RetrySpec.class);
        return spec.toPolicy();
      } catch (IllegalArgumentException e) {
        problem(path, e.getMessage());
        return fallback;
      }
    }

    Map<String, String> labels(JsonNode root) {
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

    Map<String, JsonNode> variables(JsonNode root) {
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

    List<InputDef> inputs(JsonNode root) {
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
        unknownKeys(in, path, INPUT_KEYS, "an input");
        String id = requiredText(in, path, "id", "day", "an input");
        String typeName = requiredText(in, path, "type", "string", "an input");
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

    List<TaskDef> tasks(JsonNode root, TaskDef.Phase phase) {
      return taskList(root.get(phase.yamlKey()), phase.yamlKey(), phase);
    }

    /** The tasks of a list at {@code key}: a flow's phase, or a forEach group's {@code tasks}. */
    List<TaskDef> taskList(JsonNode list, String key, TaskDef.Phase phase) {
      var out = new ArrayList<TaskDef>();
      if (list == null || list.isNull()) {
        return out;
      }
      if (!list.isArray()) {
        problem(key, "expected a list of tasks, got " + shortText(list));
        return out;
      }
      String previous = null;
      for (int i = 0; i < list.size(); i++) {
        String path = key + "[" + i + "]";
        JsonNode t = list.get(i);
        if (!t.isObject()) {
          problem(path, "expected a task mapping like {id: hello, type: log}, got " + t);
          continue;
        }
        TaskDef def = task((ObjectNode) t, path, phase, previous);
        if (def != null) {
          out.add(def);
          previous = def.id();
        }
      }
      return out;
    }

    TaskDef task(ObjectNode t, String path, TaskDef.Phase phase, String previous) {
      String id = requiredText(t, path, "id", "load", "a task");
      String type = requiredText(t, path, "type", "log", "task '" + (id == null ? "?" : id) + "'");
      if (id != null && !TASK_ID.matcher(id).matches()) {
        problem(
            path + ".id",
            "task id '"
                + id
                + "' must start with a letter or '_' and use only letters, digits, '_' and '-'"
                + " (it names the task's dataset as a table); e.g. '"
                + id.replaceAll("[^A-Za-z0-9_-]", "_").replaceAll("^([0-9-])", "_$1")
                + "'");
      }
      // with a duplicate id the task above may have this task's id; the duplicate is reported,
      // a self-dependency on top of it would only confuse
      List<String> deps =
          dependsOn(t, path, previous == null || previous.equals(id) ? null : previous);
      RunIf runIf = RunIf.SUCCESS;
      JsonNode ri = t.get("runIf");
      if (ri != null) {
        try {
          runIf = RunIf.valueOf(ri.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          problem(
              path + ".runIf",
              "runIf must be success, failed or always, got '"
                  + ri.asText()
                  + "'"
                  + Suggest.didYouMean(ri.asText(), List.of("success", "failed", "always")));
        }
      }
      String condition = null;
      JsonNode cond = t.get("condition");
      if (cond != null && !cond.isNull()) {
        condition = cond.asText();
      }
      Duration timeout = durationAt(t, path + ".timeout");
      RetryPolicy retry = retry(t, path + ".retry", null);
      String pool = pool(t, path);
      var deadLetter = deadLetter(t.get("deadLetter"), path + ".deadLetter");
      boolean group = TaskDef.FOR_EACH.equals(type);
      ObjectNode props = JsonNodeFactory.instance.objectNode();
      t.fields()
          .forEachRemaining(e -> {
            if (!TASK_KEYS.contains(e.getKey()) && !(group && e.getKey().equals("tasks"))) {
              props.set(e.getKey(), e.getValue());
            }
          });
      List<TaskDef> children = List.of();
      if (group) {
        children = taskList(t.get("tasks"), path + ".tasks", phase);
        if (children.isEmpty()) {
          problem(
              path,
              "a forEach needs the tasks it runs per item under 'tasks:', e.g."
                  + " `tasks: [{id: load, type: file.read, path: \"{{ item }}\"}]`");
        }
      }
      if (id == null || type == null) {
        return null;
      }
      return new TaskDef(
          id,
          type,
          phase,
          deps,
          runIf,
          condition,
          timeout,
          retry,
          pool,
          props,
          path,
          children,
          deadLetter);
    }

    dev.weir.deadletter.DeadLetterSpec deadLetter(JsonNode v, String path) {
      return DeadLetterReader.forTasks(tree, problems).read(v, path);
    }

    String pool(JsonNode t, String path) {
      JsonNode v = t.get("pool");
      if (v == null || v.isNull()) {
        return null;
      }
      String name = v.isValueNode() && !v.isBoolean() ? v.asText() : null;
      if (name == null || !POOL.matcher(name).matches()) {
        problem(
            path + ".pool",
            "pool name "
                + (name == null ? v.toString() : "'" + name + "'")
                + " may only use letters, digits, '_', '.' and '-'; e.g. `pool: warehouse`");
        return null;
      }
      return name;
    }

    Concurrency concurrency(JsonNode root) {
      JsonNode v = root.get("concurrency");
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isObject()) {
        problem("concurrency", "expected a mapping like {limit: 1, onLimit: queue}, got " + v);
        return null;
      }
      unknownKeys(v, "concurrency", CONCURRENCY_KEYS, "concurrency");
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

    Duration durationAt(JsonNode node, String path) {
      String key = path.substring(path.lastIndexOf('.') + 1);
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      try {
        Duration d = Durations.parse(v.asText());
        if (d.isZero() || d.isNegative()) {
          problem(
              path,
              "a timeout must be longer than zero, got '" + v.asText() + "'; e.g. `timeout: 15m`");
        }
        return d;
      } catch (IllegalArgumentException e) {
        problem(path, e.getMessage());
        return null;
      }
    }

    List<String> dependsOn(JsonNode t, String path, String previous) {
      JsonNode d = t.get("dependsOn");
      if (d == null) {
        return previous == null ? List.of() : List.of(previous);
      }
      var out = new ArrayList<String>();
      if (d.isTextual()) {
        out.add(d.textValue());
      } else if (d.isArray()) {
        for (int i = 0; i < d.size(); i++) {
          JsonNode x = d.get(i);
          if (x.isTextual()) {
            out.add(x.textValue());
          } else {
            problem(path + ".dependsOn[" + i + "]", "expected a task id, got " + x);
          }
        }
      } else if (!d.isNull()) {
        problem(path + ".dependsOn", "expected a list of task ids like [extract, load], got " + d);
      }
      return out;
    }

    private String shortText(JsonNode n) {
      String s = n.toString();
      return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
