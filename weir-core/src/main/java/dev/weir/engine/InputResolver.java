package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.expr.Expressions;
import dev.weir.flow.Flow;
import dev.weir.flow.InputDef;
import dev.weir.util.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Turns {@code --input name=value} strings into typed inputs, reporting every problem at once. */
final class InputResolver {
  private InputResolver() {}

  static Map<String, Object> resolve(
      Flow flow, Map<String, String> given, UnaryOperator<String> renderDefault) {
    var errors = new ArrayList<String>();
    var known = flow.inputs().stream().map(InputDef::id).toList();
    for (String name : given.keySet()) {
      if (!known.contains(name)) {
        errors.add(
            "unknown input '"
                + name
                + "'"
                + Suggest.didYouMean(name, known)
                + " (flow "
                + flow.id()
                + " declares: "
                + (known.isEmpty() ? "no inputs" : String.join(", ", known))
                + ")");
      }
    }
    var out = new LinkedHashMap<String, Object>();
    for (InputDef in : flow.inputs()) {
      String raw = given.get(in.id());
      try {
        if (raw != null) {
          out.put(in.id(), in.type().parse(raw));
        } else if (in.defaultValue() != null) {
          var d = in.defaultValue();
          if (d.isTextual() && Expressions.isTemplate(d.textValue())) {
            out.put(in.id(), in.type().parse(renderDefault.apply(d.textValue())));
          } else {
            out.put(in.id(), in.type().fromNode(d));
          }
        } else if (in.required()) {
          errors.add(
              "missing required input '"
                  + in.id()
                  + "' ("
                  + in.type().yamlName()
                  + "); pass it as --input "
                  + in.id()
                  + "=<"
                  + in.type().expected()
                  + ">");
        } else {
          out.put(in.id(), null);
        }
      } catch (IllegalArgumentException e) {
        errors.add("input '" + in.id() + "': " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new WeirException(
          (errors.size() == 1 ? "1 problem" : errors.size() + " problems")
              + " with the inputs of flow "
              + flow.id()
              + ":\n  "
              + String.join("\n  ", errors));
    }
    return out;
  }
}
