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
import java.util.List;
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
  final DatasetStaging staging;
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
  // how stream tasks of this run end; set by the engine before the run starts
  volatile dev.weir.task.StreamMode streamMode = dev.weir.task.StreamMode.CONTINUOUS;

  RunScope(
      String runId,
      Flow flow,
      Path workDir,
      DatasetStaging staging,
      ProjectConfig project,
      Expressions expressions,
      Expressions.Services services,
      Map<String, Object> baseVariables,
      Map<String, String> childEnvironment,
      dev.weir.store.StateStore store) {
    this.runId = runId;
    this.flow = flow;
    this.workDir = workDir;
    this.staging = staging;
    this.project = project;
    this.expressions = expressions;
    this.services = services;
    this.baseVariables = Map.copyOf(baseVariables);
    this.childEnvironment = Map.copyOf(childEnvironment);
    this.store = store;
  }

  Path stagingDir(String taskId) {
    return staging.root().resolve(runId).resolve(taskId);
  }

  /** Variables for one task's expressions; {@code extra} adds e.g. failedTask. */
  Map<String, Object> variables(Map<String, Object> extra) {
    return variables(extra, List.of(""));
  }

  /**
   * Variables for the expressions of a task at {@code place}: inside a forEach item, {@code
   * outputs.<task>} means the task of the same item first.
   */
  Map<String, Object> variables(Map<String, Object> extra, Place place) {
    return variables(extra, place.prefixes());
  }

  private Map<String, Object> variables(Map<String, Object> extra, List<String> prefixes) {
    var vars = new HashMap<String, Object>(baseVariables);
    vars.put("outputs", new OutputsView(prefixes));
    vars.putAll(extra);
    return vars;
  }

  String render(String template, Map<String, Object> extra) {
    return expressions.render(template, variables(extra), services);
  }

  String render(String template, Map<String, Object> extra, Place place) {
    return expressions.render(template, variables(extra, place), services);
  }

  /** The value of a one-expression template as an object (a forEach's items). */
  Object evaluate(String template, Map<String, Object> extra, Place place) {
    return expressions.evaluate(template, variables(extra, place), services);
  }

  /**
   * {@code outputs.<task>.<field>} over the live outputs, failing clearly on a miss. Inside a
   * forEach item a task id is looked up under the item's prefix first ({@code group[key]/}).
   */
  private final class OutputsView extends AbstractMap<String, Object> {
    private final List<String> prefixes;

    OutputsView(List<String> prefixes) {
      this.prefixes = prefixes;
    }

    private Map<String, Object> find(String key) {
      for (String prefix : prefixes) {
        Map<String, Object> o = outputs.get(prefix + key);
        if (o != null) {
          return o;
        }
      }
      return null;
    }

    private Set<String> visible() {
      var names = new java.util.TreeSet<String>();
      for (String id : outputs.keySet()) {
        for (String prefix : prefixes) {
          if (id.startsWith(prefix) && id.indexOf('/', prefix.length()) < 0) {
            String rest = id.substring(prefix.length());
            if (rest.indexOf('[') < 0) {
              names.add(rest);
            }
          }
        }
      }
      return names;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      var m = new HashMap<String, Object>();
      for (String k : visible()) {
        m.put(k, Scope.of("outputs." + k, find(k)));
      }
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
      Map<String, Object> o = find(String.valueOf(key));
      if (o == null) {
        Set<String> known = visible();
        throw new ExpressionException(
            ExpressionException.Kind.UNKNOWN_NAME,
            "task '"
                + key
                + "' has no outputs (it has not succeeded in this run; tasks with outputs: "
                + (known.isEmpty() ? "none" : String.join(", ", known))
                + ")",
            null);
      }
      return Scope.of("outputs." + key, o);
    }
  }
}
