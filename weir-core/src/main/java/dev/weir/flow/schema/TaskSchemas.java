package dev.weir.flow.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.task.TaskRegistry;
import dev.weir.task.TaskType;
import java.util.Map;

/**
 * The schema of a task: the keys every task has, and for each type in the registry (plugins
 * included) the keys of its configuration record, chosen by {@code if type is X then …}. {@code
 * unevaluatedProperties: false} then refuses a key that neither the common keys nor the chosen
 * type's record has.
 */
public final class TaskSchemas {
  /** The definition every task list refers to. */
  public static final String TASK = "task";

  private TaskSchemas() {}

  /**
   * Adds {@code task} and one {@code task.<type>} per task type to {@code defs}.
   *
   * @param common the keys every task has ({@code id}, {@code dependsOn}, …), without {@code type}
   */
  public static void addTo(ObjectNode defs, TaskRegistry registry, ObjectNode common) {
    ObjectNode task = Schemas.object().put("type", "object");
    task.put("description", "A task: `id`, `type`, the keys every task has, and its type's own.");
    task.putArray("required").add("id").add("type");
    ObjectNode properties = common.deepCopy();
    properties.set(
        "type", Schemas.oneOfNames(registry.names(), "the task type; see docs/tasks/README.md"));
    task.set("properties", properties);
    ArrayNode branches = task.putArray("allOf");
    for (String name : registry.names()) {
      TaskType<?> type = registry.get(name);
      ObjectNode config = config(type);
      if (dev.weir.flow.TaskDef.FOR_EACH.equals(name)) {
        // a group's tasks: a task list like the flow's own
        ObjectNode tasks = Schemas.listOf(Schemas.ref(TASK), "the tasks run once per item");
        tasks.put("minItems", 1);
        ((ObjectNode) config.get("properties")).set("tasks", tasks);
      }
      defs.set(TASK + "." + name, config);
      branches.add(Schemas.whenType(name, Schemas.ref(TASK + "." + name)));
    }
    task.put("unevaluatedProperties", false);
    defs.set(TASK, task);
  }

  /** The keys of one type's configuration record, described by its page. */
  static ObjectNode config(TaskType<?> type) {
    ObjectNode schema = ConfigSchemas.templated().of(type.configType());
    // the task mapping around it holds the common keys too: it closes itself
    schema.remove("type");
    schema.remove("additionalProperties");
    TaskDocs docs = TaskDocs.of(type);
    Schemas.describe(schema, docs.summary());
    for (Map.Entry<String, String> e : docs.properties().entrySet()) {
      JsonNode property = property(schema, e.getKey());
      if (property instanceof ObjectNode p && !e.getValue().isEmpty()) {
        p.put("description", e.getValue());
      }
    }
    return schema;
  }

  /** The schema of {@code name}, {@code a.b} for a key of a nested mapping; null when none. */
  private static JsonNode property(JsonNode schema, String name) {
    JsonNode at = schema;
    for (String part : name.split("\\.")) {
      at = propertiesOf(at).get(part);
      if (at == null) {
        return null;
      }
    }
    return at;
  }

  private static JsonNode propertiesOf(JsonNode schema) {
    if (schema.has("properties")) {
      return schema.get("properties");
    }
    for (JsonNode branch : schema.path("anyOf")) {
      if (branch.has("properties")) {
        return branch.get("properties");
      }
    }
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
  }
}
