package dev.weir.tasks.models;

import dev.weir.task.Audit;
import dev.weir.task.DatasetRef;
import dev.weir.task.Step;
import dev.weir.task.Steps;
import dev.weir.task.TaskLogger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports each node of a {@code sql.models} run as a step of the task (a task run of its own): its
 * state, rows, duration, the compiled SQL in its log, and the relations it read and wrote in the
 * audit trail and lineage. Called from the runner's worker threads.
 */
final class ModelSteps implements ProjectRunner.Listener {
  private final Steps steps;
  private final TaskLogger log;
  private final String url;
  private final Map<String, Step> running = new ConcurrentHashMap<>();
  private final Set<String> built = new java.util.HashSet<>();

  /**
   * @param url the target's JDBC url (a DuckDB file's resolved), which names its datasets
   * @param project whose models' and seeds' names a test's step may not take
   */
  ModelSteps(Steps steps, TaskLogger log, String url, DbtProject project) {
    this.steps = steps;
    this.log = log;
    this.url = url;
    project.models().forEach(m -> built.add(m.name()));
    project.seeds().forEach(m -> built.add(m.name()));
  }

  @Override
  public void started(GraphNode node) {
    running.put(node.id(), steps.start(stepName(node)));
  }

  @Override
  public void finished(NodeResult r) {
    Step step = running.remove(r.id());
    if (step == null) {
      if (r.status() == NodeResult.Status.SKIPPED) {
        steps.skipped(stepName(r.type(), r.name()), r.message(), !r.cancelled());
        log.info("skip " + what(r) + ": " + r.message());
      }
      return;
    }
    TaskLogger out = step.logger();
    for (CompiledModel.LogCall call : r.logged()) {
      out.log(call.info() ? TaskLogger.Level.INFO : TaskLogger.Level.DEBUG, call.message());
    }
    if (r.sql() != null && !r.sql().isBlank()) {
      out.info("compiled SQL:\n" + r.sql().strip());
    }
    Map<String, Object> outputs = outputs(r);
    Audit audit = audit(r);
    switch (r.status()) {
      case SUCCESS -> {
        out.info(done(r));
        step.succeed(outputs, audit);
      }
      case WARN -> {
        out.warn(r.message() + " (severity: warn)");
        step.succeed(outputs, audit);
      }
      case ERROR -> {
        out.error(r.message());
        step.fail(r.message(), outputs, audit);
      }
      case SKIPPED -> {
        // cancelled while it ran: the engine ends the step CANCELLED with the attempt
        out.warn("stopped: " + r.message());
      }
    }
    log.info(
        switch (r.status()) {
              case SUCCESS -> "ok   ";
              case WARN -> "warn ";
              case ERROR -> "error";
              case SKIPPED -> "stop ";
            }
            + " "
            + what(r)
            + " in "
            + r.duration().toMillis()
            + " ms");
  }

  private static String what(NodeResult r) {
    String materialization = r.node().materialization();
    return r.type().dbtName()
        + " "
        + r.name()
        + (materialization == null ? "" : " (" + materialization + ")");
  }

  private static String done(NodeResult r) {
    NodeResult.Node node = r.node();
    return switch (r.type()) {
      case TEST -> "passed";
      case SEED -> "loaded " + r.rows() + " rows into " + node.relation();
      default ->
          node.materialization()
              + " "
              + node.relation()
              + (r.rows() >= 0 && !"view".equals(node.materialization())
                  ? ": " + r.rows() + " rows"
                  : "");
    };
  }

  private static Map<String, Object> outputs(NodeResult r) {
    NodeResult.Node node = r.node();
    var m = new LinkedHashMap<String, Object>();
    m.put("type", r.type().dbtName());
    if (node.materialization() != null) {
      m.put("materialized", node.materialization());
    }
    if (node.relation() != null) {
      m.put("relation", node.relation());
    }
    if (r.type() == GraphNode.Type.TEST) {
      m.put("failingRows", r.failures());
      m.put("severity", node.severity());
    } else if (!"view".equals(node.materialization())) {
      m.put("rows", r.rows());
    }
    m.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
    return m;
  }

  private Audit audit(NodeResult r) {
    NodeResult.Node node = r.node();
    Audit a = Audit.of();
    for (String read : node.reads()) {
      a = a.input(DatasetRef.table(url, read));
    }
    if (node.relation() != null && r.status() == NodeResult.Status.SUCCESS) {
      boolean counted = r.type() != GraphNode.Type.TEST && !"view".equals(node.materialization());
      DatasetRef written = DatasetRef.table(url, node.relation());
      a = a.output(counted ? written.withRows(r.rows()) : written);
      if (counted) {
        a = a.written(r.rows());
      }
    }
    return a;
  }

  /** The step a node is reported as: its name, or {@code test.<name>} (below). */
  String stepName(GraphNode n) {
    return stepName(n.type(), n.name());
  }

  /**
   * The node's name as a step name ({@code [A-Za-z0-9_.-]}); a test named like a model or seed (dbt
   * keeps those unique among themselves) is {@code test.<name>}, the same in every run.
   */
  private String stepName(GraphNode.Type type, String name) {
    String plain = name.replaceAll("[^A-Za-z0-9_.-]", "_");
    return type == GraphNode.Type.TEST && built.contains(name) ? "test." + plain : plain;
  }
}
