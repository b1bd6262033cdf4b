package dev.weir.engine;

import dev.weir.config.ProjectConfig;
import dev.weir.expr.ExpressionException;
import dev.weir.expr.Expressions;
import dev.weir.expr.Scope;
import dev.weir.flow.Flow;
import dev.weir.task.Dataset;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every attempt of one run shares: the flow, the expression variables, and the outputs and
 * datasets of tasks that succeeded so far (read by attempts on other threads).
 */
final class RunScope {
  final String runId;
  final Flow flow;
  final Path workDir;
  final Path stagingRoot;
  final ProjectConfig project;
  final Expressions expressions;
  final Expressions.Services services;
  final Map<String, Object> baseVariables;
  final Map<String, Map<String, Object>> outputs = new ConcurrentHashMap<>();
  final Map<String, Dataset> datasets = new ConcurrentHashMap<>();
  final Map<String, String> childEnvironment;
  final dev.weir.store.StateStore store;
  // where subflow tasks find and start their child runs; set by the engine before the run starts
  volatile SubflowHost subflows;

  RunScope(
      String runId,
      Flow flow,
      Path workDir,
      Path stagingRoot,
      ProjectConfig project,
      Expressions expressions,
      Expressions.Services services,
      Map<String, Object> baseVariables,
      Map<String, String> childEnvironment,
      dev.weir.store.StateStore store) {
    this.runId = runId;
    this.flow = flow;
    this.workDir = workDir;
    this.stagingRoot = stagingRoot;
    this.project = project;
    this.expressions = expressions;
    this.services = services;
    this.baseVariables = Map.copyOf(baseVariables);
    this.childEnvironment = Map.copyOf(childEnvironment);
    this.store = store;
  }

  Path stagingDir(String taskId) {
    return stagingRoot.resolve(runId).resolve(taskId);
  }

  /** Variables for one task's expressions; {@code extra} adds e.g. failedTask. */
  Map<String, Object> variables(Map<String, Object> extra) {
    var vars = new HashMap<String, Object>(baseVariables);
    vars.put("outputs", new OutputsView());
    vars.putAll(extra);
    return vars;
  }

  String render(String template, Map<String, Object> extra) {
    return expressions.render(template, variables(extra), services);
  }

  /** {@code outputs.<task>.<field>} over the live outputs, failing clearly on a miss. */
  private final class OutputsView extends AbstractMap<String, Object> {
    @Override
    public Set<Entry<String, Object>> entrySet() {
      var m = new HashMap<String, Object>();
      outputs.forEach((k, v) -> m.put(k, Scope.of("outputs." + k, v)));
      return m.entrySet();
    }

    @Override
    public boolean containsKey(Object key) {
      return true;
    }

    @Override
    public boolean isEmpty() {
      return false;
    }

    @Override
    public Object get(Object key) {
      Map<String, Object> o = outputs.get(String.valueOf(key));
      if (o == null) {
        throw new ExpressionException(
            ExpressionException.Kind.UNKNOWN_NAME,
            "task '"
                + key
                + "' has no outputs (it has not succeeded in this run; tasks with outputs: "
                + (outputs.isEmpty() ? "none" : String.join(", ", outputs.keySet()))
                + ")",
            null);
      }
      return Scope.of("outputs." + key, o);
    }
  }
}
