package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.util.Suggest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the task lists of a flow file (a phase's, or a forEach group's {@code tasks}) into {@link
 * TaskDef}s: each task's id, type, dependsOn, runIf, condition, timeout, retry, pool, deadLetter
 * and its properties.
 */
final class TaskReader {
  private final YamlTree tree;
  private final List<Problem> problems;
  private final FieldReader fields;

  TaskReader(YamlTree tree, List<Problem> problems, FieldReader fields) {
    this.tree = tree;
    this.problems = problems;
    this.fields = fields;
  }

  private void problem(String path, String message) {
    problems.add(tree.problem(path, message));
  }

  List<TaskDef> tasks(JsonNode root, TaskDef.Phase phase) {
    return taskList(root.get(phase.yamlKey()), phase.yamlKey(), phase);
  }

  /** The tasks of a list at {@code key}: a flow's phase, or a forEach group's {@code tasks}. */
  private List<TaskDef> taskList(JsonNode list, String key, TaskDef.Phase phase) {
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

  private TaskDef task(ObjectNode t, String path, TaskDef.Phase phase, String previous) {
    String id = fields.requiredText(t, path, "id", "load", "a task");
    String type =
        fields.requiredText(t, path, "type", "log", "task '" + (id == null ? "?" : id) + "'");
    if (id != null && !FlowParser.TASK_ID.matcher(id).matches()) {
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
    Duration timeout = fields.durationAt(t, path + ".timeout");
    RetryPolicy retry = fields.retry(t, path + ".retry", null);
    String pool = pool(t, path);
    var deadLetter = deadLetter(t.get("deadLetter"), path + ".deadLetter");
    boolean group = TaskDef.FOR_EACH.equals(type);
    ObjectNode props = JsonNodeFactory.instance.objectNode();
    t.fields()
        .forEachRemaining(e -> {
          if (!FlowParser.TASK_KEYS.contains(e.getKey())
              && !(group && e.getKey().equals("tasks"))) {
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

  private dev.weir.deadletter.DeadLetterSpec deadLetter(JsonNode v, String path) {
    return DeadLetterReader.forTasks(tree, problems).read(v, path);
  }

  private String pool(JsonNode t, String path) {
    JsonNode v = t.get("pool");
    if (v == null || v.isNull()) {
      return null;
    }
    String name = v.isValueNode() && !v.isBoolean() ? v.asText() : null;
    if (name == null || !FlowParser.POOL.matcher(name).matches()) {
      problem(
          path + ".pool",
          "pool name "
              + (name == null ? v.toString() : "'" + name + "'")
              + " may only use letters, digits, '_', '.' and '-'; e.g. `pool: warehouse`");
      return null;
    }
    return name;
  }

  private List<String> dependsOn(JsonNode t, String path, String previous) {
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
