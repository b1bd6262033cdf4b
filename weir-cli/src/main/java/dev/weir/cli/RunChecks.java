package dev.weir.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.store.CheckRecord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** The quality check results of a run, as {@code weir runs show} prints them. */
final class RunChecks {
  private static final int NAME_WIDTH = 40;
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunChecks() {}

  /** A table of the checks, after a blank line; nothing when the run checked nothing. */
  static void print(PrintWriter out, List<CheckRecord> checks) {
    if (checks.isEmpty()) {
      return;
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "%-20s %4s %-6s %-" + NAME_WIDTH + "s  %s%n",
        "CHECKED BY",
        "TRY",
        "RESULT",
        "CHECK",
        "DETAIL");
    for (CheckRecord c : checks) {
      out.printf(
          Locale.ROOT,
          "%-20s %4d %-6s %-" + NAME_WIDTH + "s  %s%n",
          c.taskId(),
          c.attempt(),
          result(c),
          clip(c.name()),
          c.detail() == null ? "" : Progress.firstLine(c.detail()));
    }
  }

  /** {@code ok}, {@code WARN} (failed, severity warn) or {@code FAIL} (failed, severity error). */
  static String result(CheckRecord c) {
    if (c.passed()) {
      return "ok";
    }
    return c.severity().equals("warn") ? "WARN" : "FAIL";
  }

  /** {@code runJson} (an object) with a {@code checks} array added. */
  static String addTo(String runJson, List<CheckRecord> checks) {
    ObjectNode run;
    try {
      run = (ObjectNode) JSON.readTree(runJson);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("not JSON: " + runJson, e);
    }
    ArrayNode arr = run.putArray("checks");
    for (CheckRecord c : checks) {
      arr.add(JSON.valueToTree(c.toMap(UnaryOperator.identity())));
    }
    return run.toString();
  }

  private static String clip(String name) {
    return name.length() <= NAME_WIDTH ? name : name.substring(0, NAME_WIDTH - 1) + "…";
  }
}
