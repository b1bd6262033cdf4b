package dev.weir.engine;

import dev.weir.config.ProjectConfig;
import dev.weir.expr.Expressions;
import dev.weir.expr.Secrets;
import dev.weir.flow.Flow;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.task.StreamMode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Makes the {@link RunScope} the attempts of a stored run share, whether its coordinator runs here
 * ({@link RunLaunches}) or a worker runs one attempt routed to it ({@link RoutedExecution}): the
 * run's expression variables, project, staging, the environment its processes get (without the
 * secrets), where its subflows start and how its stream tasks end.
 */
final class RunScopes implements RunLaunches.Scopes {
  private final StateStore store;
  private final DatasetStaging staging;
  private final Expressions expressions;
  private final Expressions.Services render;
  private final RunVariables variables;
  private final Map<String, String> environment;
  private final SubflowHost subflows;
  private volatile StreamMode streamMode = StreamMode.CONTINUOUS;

  RunScopes(
      StateStore store,
      DatasetStaging staging,
      Expressions expressions,
      Expressions.Services render,
      RunVariables variables,
      Map<String, String> environment,
      SubflowHost subflows) {
    this.store = store;
    this.staging = staging;
    this.expressions = expressions;
    this.render = render;
    this.variables = variables;
    this.environment = environment;
    this.subflows = subflows;
  }

  /** How stream tasks of the runs scoped from now on end ({@link Engine#streamMode}). */
  void streamMode(StreamMode mode) {
    this.streamMode = Objects.requireNonNull(mode, "mode");
  }

  /** What the attempts of a stored run share, its succeeded tasks' outputs not yet in. */
  @Override
  public RunScope of(RunRecord run, Flow flow, Map<String, Object> inputs) {
    Path workDir = Path.of(run.flowFile()).getParent();
    var scope =
        new RunScope(
            run.id(),
            flow,
            workDir,
            staging,
            ProjectConfig.find(workDir),
            expressions,
            render,
            variables.of(flow, RunVariables.Facts.of(run), inputs),
            childEnvironment(),
            store);
    scope.subflows = subflows;
    scope.streamMode = streamMode;
    return scope;
  }

  private Map<String, String> childEnvironment() {
    var env = new HashMap<String, String>();
    environment.forEach((k, v) -> {
      if (!k.startsWith(Secrets.ENV_PREFIX)) {
        env.put(k, v);
      }
    });
    return env;
  }
}
