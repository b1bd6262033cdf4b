package dev.weir.flow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.expr.Expressions;
import dev.weir.task.Required;
import dev.weir.util.Suggest;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds YAML properties to configuration records and explains, property by property, why a value
 * does not fit.
 */
public final class ConfigBinder {
  public static final ObjectMapper MAPPER = mapper();

  private ConfigBinder() {}

  private static ObjectMapper mapper() {
    var durations = new SimpleModule("weir-durations");
    durations.addDeserializer(
        Duration.class,
        new JsonDeserializer<>() {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            try {
              return Durations.parse(p.getValueAsString());
            } catch (IllegalArgumentException e) {
              throw JsonMappingException.from(p, e.getMessage(), e);
            }
          }
        });
    return JsonMapper.builder()
        .findAndAddModules()
        .addModule(durations)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();
  }

  /** Binds rendered properties to {@code type}. */
  public static <C> C bind(JsonNode properties, Class<C> type) {
    try {
      return MAPPER.treeToValue(properties, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(explain(e, type), e);
    }
  }

  public static List<String> propertyNames(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  /**
   * Checks unrendered properties against a record type: unknown keys, missing required ones, and
   * the type of every value that is not a template.
   *
   * @param what how to name the owner in messages, e.g. "a file.read task"
   */
  public static List<Problem> check(
      ObjectNode properties,
      Class<? extends Record> type,
      String path,
      YamlTree tree,
      String what) {
    var problems = new ArrayList<Problem>();
    RecordComponent[] components = type.getRecordComponents();
    List<String> known = propertyNames(type);
    properties
        .fieldNames()
        .forEachRemaining(key -> {
          if (!known.contains(key)) {
            problems.add(
                tree.problem(
                    path + "." + key,
                    "unknown property '"
                        + key
                        + "' for "
                        + what
                        + Suggest.didYouMean(key, known)
                        + " (known: "
                        + String.join(", ", known)
                        + ")"
                        + (Suggest.didYouMean(key, known).isEmpty()
                            ? tree.indentationHint(path + "." + key)
                            : "")));
          }
        });
    for (RecordComponent c : components) {
      JsonNode value = properties.get(c.getName());
      Required req = c.getAnnotation(Required.class);
      if (value == null || value.isNull()) {
        if (req != null) {
          problems.add(
              tree.problem(
                  path,
                  "missing required property '"
                      + c.getName()
                      + "' for "
                      + what
                      + "; add it, e.g. `"
                      + c.getName()
                      + ": "
                      + (req.example().isEmpty() ? "..." : req.example())
                      + "`"));
        }
        continue;
      }
      if (c.getType() != String.class && containsTemplate(value)) {
        continue; // its type can only be known once rendered
      }
      JavaType jt = MAPPER.getTypeFactory().constructType(c.getGenericType());
      try {
        MAPPER.readerFor(jt).readValue(value);
      } catch (IOException e) {
        String at = path + "." + c.getName() + jsonPath(e);
        String example =
            req == null || req.example().isEmpty()
                ? ""
                : "; e.g. `" + c.getName() + ": " + req.example() + "`";
        String because = because(e);
        problems.add(
            tree.problem(
                at,
                because != null
                    ? because
                    : "expected "
                        + describe(c.getGenericType())
                        + ", got "
                        + shortValue(value, e)
                        + detail(e)
                        + example));
      }
    }
    return problems;
  }

  public static boolean containsTemplate(JsonNode node) {
    if (node.isTextual()) {
      return Expressions.isTemplate(node.textValue());
    }
    for (JsonNode child : node) {
      if (containsTemplate(child)) {
        return true;
      }
    }
    return false;
  }

  private static String jsonPath(IOException e) {
    if (!(e instanceof JsonMappingException jme)) {
      return "";
    }
    var sb = new StringBuilder();
    for (JsonMappingException.Reference r : jme.getPath()) {
      if (r.getFieldName() != null) {
        sb.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String shortValue(JsonNode value, IOException e) {
    String s = value.isTextual() ? "'" + value.textValue() + "'" : value.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  /**
   * The message of a value's own parse error (a bad duration, a record's compact constructor),
   * which already names the value and the rule; null when there is none.
   */
  private static String because(IOException e) {
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException iae && iae.getMessage() != null) {
      return iae.getMessage();
    }
    return null;
  }

  private static String detail(IOException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      Collection<Object> ids = u.getKnownPropertyIds();
      List<String> names = ids == null ? List.of() : ids.stream().map(String::valueOf).toList();
      return " (unknown key '"
          + u.getPropertyName()
          + "'"
          + Suggest.didYouMean(u.getPropertyName(), names)
          + ")";
    }
    return "";
  }

  static String explain(IOException e, Class<?> type) {
    String original =
        e instanceof JsonMappingException jme ? jme.getOriginalMessage() : e.getMessage();
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root instanceof IllegalArgumentException && root.getMessage() != null) {
      return root.getMessage();
    }
    return jsonPath(e).replaceFirst("^\\.", "") + ": " + original;
  }

  /** A type named the way a person writing YAML thinks of it. */
  public static String describe(Type t) {
    if (t instanceof ParameterizedType p) {
      Type raw = p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (raw == List.class || raw == java.util.Set.class) {
        return "a list of " + plural(describe(args[0]));
      }
      if (raw == Map.class) {
        return "a mapping of names to " + plural(describe(args[1]));
      }
      return describe(raw);
    }
    if (!(t instanceof Class<?> c)) {
      return t.getTypeName();
    }
    if (c == String.class) {
      return "text";
    }
    if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
      return "a whole number";
    }
    if (c == double.class || c == Double.class || c == java.math.BigDecimal.class) {
      return "a number";
    }
    if (c == boolean.class || c == Boolean.class) {
      return "true or false";
    }
    if (c == Duration.class) {
      return "a duration like " + Durations.EXAMPLES;
    }
    if (c.isEnum()) {
      return "one of "
          + Arrays.stream(c.getEnumConstants())
              .map(o -> lowerCamel(((Enum<?>) o).name()))
              .collect(Collectors.joining(", "));
    }
    if (c.isRecord()) {
      return "a mapping with keys " + String.join(", ", propertyNames(c.asSubclass(Record.class)));
    }
    if (c == Object.class || c == JsonNode.class) {
      return "a value";
    }
    return c.getSimpleName();
  }

  private static String plural(String s) {
    return s.startsWith("a ") ? s.substring(2) + "s" : s;
  }

  /** UPSTREAM_FAILED → upstreamFailed, APPEND → append. */
  public static String lowerCamel(String enumName) {
    var sb = new StringBuilder();
    boolean up = false;
    for (char ch : enumName.toCharArray()) {
      if (ch == '_') {
        up = true;
      } else {
        sb.append(up ? ch : Character.toLowerCase(ch));
        up = false;
      }
    }
    return sb.toString();
  }
}
