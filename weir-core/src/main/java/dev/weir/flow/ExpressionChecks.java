package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.expr.ExpressionException;
import dev.weir.expr.Expressions;
import java.util.List;
import java.util.Map;

/**
 * Renders the templates of a value against a sample context and reports, at their YAML path, the
 * ones that cannot work (unknown names, syntax); wrong sample values are not reported.
 */
final class ExpressionChecks {
  private static final Expressions EXPRESSIONS = new Expressions();

  private final YamlTree tree;
  private final List<Problem> problems;

  ExpressionChecks(YamlTree tree, List<Problem> problems) {
    this.tree = tree;
    this.problems = problems;
  }

  private void problem(String path, String message) {
    problems.add(tree.problem(path, message));
  }

  void expressions(JsonNode node, String path, Map<String, Object> ctx) {
    if (node.isTextual()) {
      expression(node.textValue(), path, ctx);
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> expressions(e.getValue(), path + "." + e.getKey(), ctx));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        expressions(node.get(i), path + "[" + i + "]", ctx);
      }
    }
  }

  void expression(String text, String path, Map<String, Object> ctx) {
    if (!Expressions.isTemplate(text)) {
      return;
    }
    try {
      EXPRESSIONS.render(
          text, ctx, new Expressions.Services(null, java.time.InstantSource.system()));
    } catch (ExpressionException e) {
      // sample values may evaluate wrongly or loop differently than the real ones will
      if (e.kind() != ExpressionException.Kind.EVALUATION
          && e.kind() != ExpressionException.Kind.LIMIT) {
        problem(path, e.getMessage());
      }
    }
  }
}
