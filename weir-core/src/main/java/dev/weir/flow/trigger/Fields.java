package dev.weir.flow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.Durations;
import dev.weir.flow.Problem;
import dev.weir.flow.YamlTree;
import dev.weir.util.Suggest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Typed reads of one YAML mapping. A bad value becomes a problem at its path and reads as null, so
 * that reading goes on and every problem is found.
 */
final class Fields {
  private final JsonNode node;
  private final String path;
  private final YamlTree tree;
  private final List<Problem> problems;

  Fields(JsonNode node, String path, YamlTree tree, List<Problem> problems) {
    this.node = node;
    this.path = path;
    this.tree = tree;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  /**
   * How many problems have been found so far (in the whole flow): a change means "do not build".
   */
  int problemCount() {
    return problems.size();
  }

  String path(String key) {
    return key.isEmpty() ? path : path + "." + key;
  }

  Fields child(String key) {
    return new Fields(node.get(key), path(key), tree, problems);
  }

  void problem(String key, String message) {
    problems.add(tree.problem(path(key), message));
  }

  String location(String key) {
    return tree.location(path(key)).toString();
  }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  JsonNode get(String key) {
    return node.get(key);
  }

  void unknownKeys(List<String> known, String what) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        problem(
            k,
            "unknown property '"
                + k
                + "' for "
                + what
                + Suggest.didYouMean(k, known)
                + " (known: "
                + String.join(", ", known)
                + ")");
      }
    }
  }

  /** Text, or null when absent or not text. */
  String text(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.isBoolean()) {
      problem(key, "expected text, got " + v);
      return null;
    }
    return v.asText();
  }

  /** Text that must be there; its absence is reported at this mapping. */
  String requiredText(String key, String owner, String example) {
    if (!has(key)) {
      problem("", dev.weir.flow.Problem.missing(key, owner, example));
      return null;
    }
    return text(key);
  }

  boolean bool(String key, boolean fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      problem(key, "expected true or false, got " + v);
      return fallback;
    }
    return v.booleanValue();
  }

  /** One of an enum's constants, written in any case; {@code fallback} when absent. */
  <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
    String v = text(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names =
          Arrays.stream(type.getEnumConstants())
              .map(c -> c.name().toLowerCase(Locale.ROOT))
              .toList();
      problem(
          key,
          key
              + " must be "
              + String.join(", ", names.subList(0, names.size() - 1))
              + " or "
              + names.get(names.size() - 1)
              + ", got '"
              + v
              + "'"
              + Suggest.didYouMean(v.toLowerCase(Locale.ROOT), names));
      return null;
    }
  }

  /** A {@code deadLetter:} setting, read as a task's is. */
  dev.weir.deadletter.DeadLetterSpec deadLetter(String key) {
    return new dev.weir.flow.DeadLetterReader(tree, problems, "{path: dead/}")
        .read(node.get(key), path(key));
  }

  Duration duration(String key) {
    String v = text(key);
    if (v == null) {
      return null;
    }
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
      return null;
    }
  }
}
