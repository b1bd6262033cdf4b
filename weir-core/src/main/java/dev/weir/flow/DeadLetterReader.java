package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.deadletter.DeadLetterSpec;
import dev.weir.deadletter.MaxRejected;
import dev.weir.expr.Expressions;
import dev.weir.util.Suggest;
import java.util.Iterator;
import java.util.List;

/**
 * Reads a {@code deadLetter:} setting, of a task or of a queue trigger: {@code deadLetter: dead/}
 * (a path) or a mapping of path or table, connection, maxRejected. Problems go to the shared list
 * at their YAML path; a setting with a problem reads as null.
 */
public final class DeadLetterReader {
  private final YamlTree tree;
  private final List<Problem> problems;
  private final String example;

  /**
   * @param example a setting that would work where this one is read, e.g. {@code {path: dead/,
   *     maxRejected: 5%}}
   */
  public DeadLetterReader(YamlTree tree, List<Problem> problems, String example) {
    this.tree = tree;
    this.problems = problems;
    this.example = example;
  }

  /** For a task's {@code deadLetter:}. */
  public static DeadLetterReader forTasks(YamlTree tree, List<Problem> problems) {
    return new DeadLetterReader(tree, problems, "{path: dead/, maxRejected: 5%}");
  }

  /**
   * @param v the value of {@code deadLetter:}, or null
   * @param path its YAML path, e.g. {@code tasks[2].deadLetter}
   */
  public DeadLetterSpec read(JsonNode v, String path) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      if (v.asText().isBlank()) {
        problem(path, "deadLetter needs a directory, e.g. `deadLetter: dead/`");
        return null;
      }
      return new DeadLetterSpec(v.asText(), null, null, null);
    }
    if (!v.isObject()) {
      problem(path, "expected a directory or a mapping like " + example + ", got " + v);
      return null;
    }
    unknownKeys(v, path);
    String where = text(v, "path");
    String table = text(v, "table");
    String connection = text(v, "connection");
    JsonNode max = v.get("maxRejected");
    String maxRejected = max == null || max.isNull() ? null : max.asText();
    if ((where == null) == (table == null)) {
      problem(
          path,
          (where == null ? "deadLetter needs" : "deadLetter takes one of")
              + " `path:` (a directory, or s3://bucket/prefix/ with `connection:`) or `table:`"
              + " (a table of the JDBC `connection:`), e.g. `deadLetter: "
              + example
              + "`");
      return null;
    }
    if (table != null && connection == null) {
      problem(
          path + ".table",
          "a dead-letter table needs the JDBC connection it lives in, e.g. `deadLetter: {table:"
              + " dead_letters, connection: warehouse}`");
    }
    if (maxRejected != null && !Expressions.isTemplate(maxRejected)) {
      try {
        MaxRejected.parse(maxRejected);
      } catch (IllegalArgumentException e) {
        problem(path + ".maxRejected", e.getMessage());
      }
    }
    return new DeadLetterSpec(where, table, connection, maxRejected);
  }

  private void unknownKeys(JsonNode node, String path) {
    List<String> known = DeadLetterSpec.KEYS;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        String at = path + "." + k;
        String close = Suggest.didYouMean(k, known);
        problem(
            at,
            "unknown property '"
                + k
                + "' for deadLetter"
                + close
                + " (known: "
                + String.join(", ", known)
                + ")"
                + (close.isEmpty() ? tree.indentationHint(at) : ""));
      }
    }
  }

  private void problem(String path, String message) {
    problems.add(tree.problem(path, message));
  }

  private static String text(JsonNode v, String key) {
    JsonNode n = v.get(key);
    return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
  }
}
