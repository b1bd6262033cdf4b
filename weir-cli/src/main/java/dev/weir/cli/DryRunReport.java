package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.WeirException;
import dev.weir.engine.DryRun;
import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints {@code weir run --dry-run}: the plan, then each task's rendered configuration. */
final class DryRunReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DryRunReport() {}

  /** Prints the report; returns the exit code (2 when a template cannot be rendered). */
  static int print(Flow flow, DryRun dry, boolean json, PrintWriter out) {
    if (json) {
      out.println(json(flow, dry));
      out.flush();
      return dry.problems().isEmpty() ? 0 : Errors.USAGE;
    }
    out.printf("Dry run of %s.%s: nothing runs, nothing is stored%n", flow.namespace(), flow.id());
    out.println("Inputs: " + inputs(dry.inputs()));
    out.println();
    out.println("Plan (tasks on one line can run together):");
    for (DryRun.Stage s : dry.stages()) {
      out.printf(
          "  %s%d. %s%n",
          s.phase() == TaskDef.Phase.MAIN ? "" : s.phase().yamlKey() + " ",
          s.number(),
          s.tasks().stream().map(DryRun.RenderedTask::id).collect(Collectors.joining(", ")));
    }
    for (DryRun.Stage s : dry.stages()) {
      for (DryRun.RenderedTask t : s.tasks()) {
        out.println();
        out.printf("%s (%s)%n", t.id(), t.type());
        printConfig(t.config(), out);
      }
    }
    out.flush();
    if (!dry.problems().isEmpty()) {
      int n = dry.problems().size();
      throw new WeirException(
          (n == 1 ? "1 template" : n + " templates")
              + " of flow "
              + flow.id()
              + " cannot be rendered:\n  "
              + String.join("\n  ", dry.problems()));
    }
    return 0;
  }

  private static String inputs(Map<String, String> inputs) {
    if (inputs.isEmpty()) {
      return "none";
    }
    return inputs.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** One line per property; text with line breaks as an indented block, the rest as JSON. */
  private static void printConfig(JsonNode config, PrintWriter out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode v = e.getValue();
      if (v.isTextual() && v.textValue().contains("\n")) {
        out.printf("  %s: |%n", e.getKey());
        v.textValue().strip().lines().forEach(l -> out.println("    " + l));
      } else {
        out.printf("  %s: %s%n", e.getKey(), v.isTextual() ? v.textValue() : v.toString());
      }
    }
  }

  private static String json(Flow flow, DryRun dry) {
    ObjectNode o = JSON.createObjectNode();
    o.put("flow", flow.namespace() + "." + flow.id());
    ObjectNode in = o.putObject("inputs");
    dry.inputs().forEach(in::put);
    ArrayNode plan = o.putArray("plan");
    ArrayNode tasks = o.putArray("tasks");
    for (DryRun.Stage s : dry.stages()) {
      ObjectNode stage = plan.addObject();
      stage.put("phase", s.phase().yamlKey());
      stage.put("stage", s.number());
      ArrayNode ids = stage.putArray("tasks");
      for (DryRun.RenderedTask t : s.tasks()) {
        ids.add(t.id());
        ObjectNode task = tasks.addObject();
        task.put("id", t.id());
        task.put("type", t.type());
        task.put("phase", s.phase().yamlKey());
        task.put("stage", s.number());
        task.set("config", t.config());
      }
    }
    ArrayNode problems = o.putArray("problems");
    List.copyOf(dry.problems()).forEach(problems::add);
    return o.toString();
  }
}
