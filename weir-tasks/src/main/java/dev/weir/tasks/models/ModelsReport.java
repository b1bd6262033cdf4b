package dev.weir.tasks.models;

import dev.weir.store.CheckRecord;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code sql.models} run gave, as Weir reports it: the tests' results stored like {@code
 * quality.check}'s, a summary line, the outputs, and a failure naming the nodes that failed.
 */
final class ModelsReport {
  private static final int NAMED_FAILURES = 5;

  private final List<NodeResult> results;
  private final int reused;
  private final TaskContext context;
  private final Map<String, String> kinds = new java.util.HashMap<>();
  private final Map<String, String> where = new java.util.HashMap<>();

  private ModelsReport(
      List<NodeResult> results, int reused, TaskContext context, DbtProject project) {
    this.results = results;
    this.reused = reused;
    this.context = context;
    for (GenericTest t : project.genericTests()) {
      kinds.put(t.name(), t.kind().dbtName());
      where.put(
          t.name(),
          t.kind().dbtName()
              + " on "
              + (t.model() != null ? t.model() : t.source())
              + (t.column() == null ? "" : "." + t.column())
              + " ("
              + t.location()
              + ")");
    }
  }

  /**
   * The results of running {@code project}'s nodes; {@code reused} more were selected but had
   * succeeded in an earlier attempt.
   */
  static ModelsReport of(
      List<NodeResult> results, int reused, TaskContext context, DbtProject project) {
    return new ModelsReport(results, reused, context, project);
  }

  /** Stores the tests' results and returns the outputs, or throws when a node failed. */
  TaskResult result() {
    context.saveChecks(checks());
    Map<String, Object> outputs = outputs();
    context.logger().info(summary(outputs));
    List<NodeResult> failed =
        results.stream().filter(r -> r.status() == NodeResult.Status.ERROR).toList();
    if (failed.isEmpty()) {
      return TaskResult.of(outputs);
    }
    var message = new StringBuilder();
    message.append(failed.size()).append(failed.size() == 1 ? " node" : " nodes").append(" failed");
    for (NodeResult r : failed.subList(0, Math.min(NAMED_FAILURES, failed.size()))) {
      message.append("\n- ").append(r.type().dbtName()).append(' ').append(r.name());
      message.append(": ").append(explained(r));
    }
    if (failed.size() > NAMED_FAILURES) {
      message.append("\n- and ").append(failed.size() - NAMED_FAILURES).append(" more");
    }
    // a failing test is bad data (trying again cannot fix it); a failing model may be transient
    boolean onlyTests = failed.stream().allMatch(r -> r.type() == GraphNode.Type.TEST);
    throw new TaskFailedException(context.mask(message.toString()), !onlyTests, outputs, null);
  }

  private Map<String, Object> outputs() {
    var out = new LinkedHashMap<String, Object>();
    out.put("models", count(GraphNode.Type.MODEL, null));
    out.put("seeds", count(GraphNode.Type.SEED, null));
    out.put("tests", count(GraphNode.Type.TEST, null));
    out.put("succeeded", count(null, NodeResult.Status.SUCCESS));
    out.put("warned", count(null, NodeResult.Status.WARN));
    out.put("failed", count(null, NodeResult.Status.ERROR));
    out.put("skipped", count(null, NodeResult.Status.SKIPPED));
    out.put("reused", (long) reused);
    out.put(
        "rowsWritten",
        results.stream()
            .filter(r -> r.type() != GraphNode.Type.TEST && r.status() == NodeResult.Status.SUCCESS)
            .filter(r -> !"view".equals(r.node().materialization()) && r.rows() > 0)
            .mapToLong(NodeResult::rows)
            .sum());
    out.put(
        "failedNodes",
        results.stream()
            .filter(r -> r.status() == NodeResult.Status.ERROR)
            .map(NodeResult::name)
            .toList());
    return out;
  }

  private long count(GraphNode.Type type, NodeResult.Status status) {
    return results.stream()
        .filter(r -> type == null || r.type() == type)
        .filter(r -> status == null || r.status() == status)
        .count();
  }

  private static String summary(Map<String, Object> o) {
    return "done: "
        + o.get("models")
        + " models, "
        + o.get("seeds")
        + " seeds, "
        + o.get("tests")
        + " tests; "
        + o.get("succeeded")
        + " ok, "
        + o.get("warned")
        + " warned, "
        + o.get("failed")
        + " failed, "
        + o.get("skipped")
        + " skipped"
        + ((Long) o.get("reused") > 0
            ? ", " + o.get("reused") + " reused from earlier attempts"
            : "");
  }

  /** Each test that ran as a check result; a skipped test did not run and has none. */
  private List<CheckRecord> checks() {
    var checks = new ArrayList<CheckRecord>();
    Instant now = context.clock().instant();
    int no = 0;
    for (NodeResult r : results) {
      if (r.type() != GraphNode.Type.TEST || r.status() == NodeResult.Status.SKIPPED) {
        continue;
      }
      boolean passed = r.status() == NodeResult.Status.SUCCESS;
      NodeResult.Node test = r.node();
      checks.add(
          new CheckRecord(
              context.runId(),
              context.taskId(),
              context.attempt(),
              no++,
              context.namespace(),
              context.flowId(),
              test.reads().isEmpty() ? context.taskId() : test.reads().getFirst(),
              r.name(),
              kinds.getOrDefault(r.name(), "singular"),
              passed,
              test.severity() == null ? "error" : test.severity(),
              r.failures(),
              null,
              passed ? null : context.mask(r.message()),
              now));
    }
    return checks;
  }

  /** A node's failure; a test's says what it checks and where it is declared. */
  private String explained(NodeResult r) {
    String m = r.message() == null ? "" : r.message();
    if (r.type() != GraphNode.Type.TEST) {
      return m;
    }
    if (m.startsWith(r.name() + ": ")) {
      m = m.substring(r.name().length() + 2);
    }
    String what = where.get(r.name());
    return what == null ? m : what + ": " + m;
  }
}
