package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.util.Suggest;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the plain fields of a flow file's mappings (text, durations, retry) and reports unknown
 * keys, each problem at its YAML path; shared by the readers of the flow and of its tasks.
 */
final class FieldReader {
  private final YamlTree tree;
  private final List<Problem> problems;

  FieldReader(YamlTree tree, List<Problem> problems) {
    this.tree = tree;
    this.problems = problems;
  }

  private void problem(String path, String message) {
    problems.add(tree.problem(path, message));
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
  private String hint(String path, String key, List<String> known) {
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
    List<Problem> found = ConfigBinder.check((ObjectNode) v, RetrySpec.class, path, tree, "retry");
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

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
