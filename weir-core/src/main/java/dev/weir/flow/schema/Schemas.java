package dev.weir.flow.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;

/**
 * The small vocabulary the flow schema is written in: JSON Schema nodes for text, durations,
 * templates, names in any case, and mappings with known keys. Patterns are written for both Java's
 * and ECMA-262's regular expressions, since editors check them in JavaScript.
 */
public final class Schemas {
  /** Where the shared definitions live. */
  public static final String DEFS = "$defs";

  /** A value holding an expression, as {@code Expressions.isTemplate} tells them. */
  public static final String TEMPLATE_PATTERN = "\\{\\{|\\{%";

  /** What {@code Durations.parse} reads: {@code 250ms}, {@code 30s}, …, or ISO-8601. */
  public static final String DURATION_PATTERN =
      "^\\s*(\\d+\\s*(ms|s|m|h|d)|[Pp][0-9DdTtHhMmSs.,+-]*)\\s*$";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Schemas() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ObjectNode ref(String def) {
    return object().put("$ref", "#/" + DEFS + "/" + def);
  }

  public static ObjectNode text(String description) {
    return describe(object().put("type", "string"), description);
  }

  /** Text matching {@code pattern}. */
  public static ObjectNode text(String pattern, String description) {
    return describe(object().put("type", "string").put("pattern", pattern), description);
  }

  /** Any scalar: Jackson reads a number or a boolean into a text property as its text. */
  public static ObjectNode scalar(String description) {
    ObjectNode s = object();
    s.putArray("type").add("string").add("number").add("boolean");
    return describe(s, description);
  }

  public static ObjectNode bool(String description) {
    return describe(object().put("type", "boolean"), description);
  }

  public static ObjectNode integer(int minimum, String description) {
    return describe(object().put("type", "integer").put("minimum", minimum), description);
  }

  public static ObjectNode template() {
    return text(
        TEMPLATE_PATTERN, "an expression, e.g. \"{{ inputs.limit }}\", rendered at run time");
  }

  public static ObjectNode duration(String description) {
    return text(DURATION_PATTERN, description);
  }

  /** {@code schema}, or a template that renders to it when the task runs. */
  public static ObjectNode orTemplate(ObjectNode schema) {
    ObjectNode s = object();
    s.putArray("anyOf").add(schema).add(ref("template"));
    return s;
  }

  /**
   * One of {@code names}, written in any case as the parser reads them; the {@code enum} branch
   * gives editors the names to complete.
   */
  public static ObjectNode anyCase(Collection<String> names, String description) {
    ObjectNode exact = object().put("type", "string");
    ArrayNode values = exact.putArray("enum");
    names.forEach(values::add);
    var alternatives = new StringBuilder();
    for (String name : names) {
      alternatives.append(alternatives.isEmpty() ? "" : "|").append(caseless(name));
    }
    ObjectNode s = object();
    s.putArray("anyOf")
        .add(exact)
        .add(object().put("type", "string").put("pattern", "^\\s*(" + alternatives + ")\\s*$"));
    return describe(s, description);
  }

  /** One of {@code names} exactly. */
  public static ObjectNode oneOfNames(Collection<String> names, String description) {
    ObjectNode s = object().put("type", "string");
    ArrayNode values = s.putArray("enum");
    names.forEach(values::add);
    return describe(s, description);
  }

  /** {@code item}, or a list of them (Jackson's single value as array, or the parser's own). */
  public static ObjectNode oneOrList(ObjectNode item, int minItems, String description) {
    ObjectNode list = object().put("type", "array").put("minItems", minItems);
    list.set("items", item.deepCopy());
    ObjectNode s = object();
    s.putArray("anyOf").add(item).add(list);
    return describe(s, description);
  }

  public static ObjectNode listOf(ObjectNode item, String description) {
    ObjectNode s = object().put("type", "array");
    s.set("items", item);
    return describe(s, description);
  }

  /** A mapping of any names to values of {@code values}. */
  public static ObjectNode mapOf(ObjectNode values, String description) {
    ObjectNode s = object().put("type", "object");
    s.set("additionalProperties", values);
    return describe(s, description);
  }

  /** A mapping with only the keys of {@code properties}, {@code required} among them. */
  public static ObjectNode closed(
      ObjectNode properties, List<String> required, String description) {
    ObjectNode s = object().put("type", "object");
    s.set("properties", properties);
    if (!required.isEmpty()) {
      ArrayNode r = s.putArray("required");
      required.forEach(r::add);
    }
    s.put("additionalProperties", false);
    return describe(s, description);
  }

  /** {@code if type is name then the branch}, for a mapping told apart by its {@code type}. */
  public static ObjectNode whenType(String name, ObjectNode then) {
    ObjectNode condition = object();
    condition.putObject("properties").putObject("type").put("const", name);
    condition.putArray("required").add("type");
    ObjectNode s = object();
    s.set("if", condition);
    s.set("then", then);
    return s;
  }

  public static ObjectNode describe(ObjectNode schema, String description) {
    if (description != null && !description.isBlank()) {
      schema.put("description", description);
    }
    return schema;
  }

  /** {@code abc} → {@code [aA][bB][cC]}; ECMA-262 has no inline {@code (?i)}. */
  static String caseless(String name) {
    var sb = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (Character.isLetter(c)) {
        sb.append('[')
            .append(Character.toLowerCase(c))
            .append(Character.toUpperCase(c))
            .append(']');
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '-') {
        sb.append(c);
      } else {
        sb.append('\\').append(c);
      }
    }
    return sb.toString();
  }
}
