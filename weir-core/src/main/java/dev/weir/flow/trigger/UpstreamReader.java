package dev.weir.flow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.FlowParser;
import dev.weir.store.RunState;
import dev.weir.util.Suggest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the {@code upstream:} of a {@code type: flow} trigger. */
final class UpstreamReader {
  static final List<String> KEYS = List.of("namespace", "flow", "states");
  private static final List<String> FINAL =
      Arrays.stream(RunState.values()).filter(RunState::isTerminal).map(Enum::name).toList();

  private final Fields f;
  private final String ownNamespace;
  private final String ownId;

  UpstreamReader(Fields f, String ownNamespace, String ownId) {
    this.f = f;
    this.ownNamespace = ownNamespace;
    this.ownId = ownId;
  }

  FlowTrigger read(String id, Map<String, String> inputs, boolean disabled) {
    int before = f.problemCount();
    JsonNode u = f.get("upstream");
    if (u == null || u.isNull()) {
      f.problem(
          "",
          "missing required property 'upstream' for flow trigger '"
              + id
              + "'; add it, e.g. `upstream: {namespace: shop.sales, flow: orders_daily}`");
      return null;
    }
    if (!u.isObject()) {
      f.problem(
          "upstream",
          "expected a mapping like {namespace: shop.sales, flow: orders_daily, states: [SUCCEEDED]},"
              + " got "
              + u);
      return null;
    }
    Fields up = f.child("upstream");
    up.unknownKeys(KEYS, "upstream");
    String namespace = up.text("namespace");
    if (namespace != null && !FlowParser.NAMESPACE.matcher(namespace).matches()) {
      up.problem(
          "namespace",
          "namespace '" + namespace + "' must be dotted lower-case words like 'shop.sales'");
    }
    String flow = up.requiredText("flow", "upstream", "orders_daily");
    if (flow != null && !FlowParser.FLOW_ID.matcher(flow).matches()) {
      up.problem("flow", "flow id '" + flow + "' may only use a-z, 0-9, '_' and '-'");
    }
    Set<RunState> states = states(up);
    if (f.problemCount() != before) {
      return null;
    }
    String ns = namespace == null ? ownNamespace : namespace;
    if (ns.equals(ownNamespace) && flow.equals(ownId) && states.contains(RunState.SUCCEEDED)) {
      up.problem(
          "flow",
          "flow '"
              + flow
              + "' would trigger itself on SUCCEEDED, so every run would start the next one"
              + " forever; name another flow, or fire only on FAILED or CANCELLED");
      return null;
    }
    return new FlowTrigger(id, ns, flow, states, inputs, disabled);
  }

  /** {@code [SUCCEEDED]} when absent, null after a problem. */
  private static Set<RunState> states(Fields up) {
    JsonNode v = up.get("states");
    if (v == null || v.isNull()) {
      return Set.of(RunState.SUCCEEDED);
    }
    List<JsonNode> items = v.isArray() ? listOf(v) : List.of(v);
    if (items.isEmpty()) {
      up.problem(
          "states",
          "states is empty, so the trigger would never fire; e.g. `states: [SUCCEEDED, FAILED]`"
              + " (leave it out for [SUCCEEDED])");
      return null;
    }
    var out = EnumSet.noneOf(RunState.class);
    boolean ok = true;
    for (int i = 0; i < items.size(); i++) {
      String key = v.isArray() ? "states[" + i + "]" : "states";
      RunState s = state(up, key, items.get(i));
      ok &= s != null;
      if (s != null) {
        out.add(s);
      }
    }
    return ok ? out : null;
  }

  private static RunState state(Fields up, String key, JsonNode item) {
    String text = item.isTextual() ? item.textValue().strip() : item.toString();
    RunState s;
    try {
      s = RunState.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      up.problem(
          key,
          "unknown run state '"
              + text
              + "'"
              + Suggest.didYouMean(text.toUpperCase(Locale.ROOT), FINAL)
              + " (final states: "
              + String.join(", ", FINAL)
              + ")");
      return null;
    }
    if (!s.isTerminal()) {
      up.problem(
          key,
          "run state "
              + s
              + " is not final; a flow trigger fires when an upstream run ends, so use "
              + String.join(", ", FINAL.subList(0, FINAL.size() - 1))
              + " or "
              + FINAL.get(FINAL.size() - 1));
      return null;
    }
    return s;
  }

  private static List<JsonNode> listOf(JsonNode array) {
    var out = new java.util.ArrayList<JsonNode>();
    array.forEach(out::add);
    return out;
  }
}
