package dev.weir.tasks.models;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.Required;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import dev.weir.tasks.jdbc.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a dbt project's seeds, models and tests natively, as {@code dbt build} does: in DAG order, a
 * model's tests right after it, a failing error-severity test skipping what lies downstream. Each
 * node is reported as a run of its own; the task fails when one of them fails.
 */
public final class SqlModelsTask implements TaskType<SqlModelsTask.Config> {
  /** The most nodes one task may run at once. */
  static final int MAX_THREADS = 64;

  /**
   * @param project the directory holding {@code dbt_project.yml}, relative to the flow file's
   * @param target where models are built: a DuckDB or PostgreSQL connection and a schema
   * @param select dbt's node selection ({@code +orders}, {@code tag:daily}, {@code
   *     path:models/staging}); all nodes when absent
   * @param exclude nodes to leave out, in the same syntax
   * @param fullRefresh rebuild incremental models from scratch
   * @param vars values for {@code var()}, over those of {@code dbt_project.yml}
   * @param threads how many nodes may run at once (default 4)
   * @param indirectSelection which tests a selection takes along: {@code eager} (the default: a
   *     test of any selected node), {@code cautious} (all its models selected), {@code buildable}
   *     (all selected or built before a selected one) or {@code empty}
   * @param resume on a later attempt of the run (a retry, {@code weir retry}, a resume after a
   *     crash), run only the nodes that did not succeed in an earlier one, as {@code dbt retry}
   *     does (default true); false runs the whole selection again
   */
  public record Config(
      @Required(example = "dbt/shop") String project,
      @Required(example = "{connection: warehouse, schema: analytics}") Target target,
      String select,
      String exclude,
      Boolean fullRefresh,
      Map<String, Object> vars,
      Integer threads,
      String indirectSelection,
      Boolean resume) {}

  /**
   * @param connection a jdbc connection of weir.yaml with a DuckDB or PostgreSQL url
   * @param schema the schema models are built in (dbt's {@code target.schema})
   * @param name dbt's {@code target.name} (default {@code dev})
   */
  public record Target(
      @Required(example = "warehouse") String connection,
      @Required(example = "analytics") String schema,
      String name) {}

  @Override
  public String name() {
    return "sql.models";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> validate(Config config) {
    var problems = new ArrayList<String>();
    if (config.project() != null && config.project().isBlank()) {
      problems.add("project is empty; give the directory of dbt_project.yml, e.g. `dbt/shop`");
    }
    if (config.threads() != null && (config.threads() < 1 || config.threads() > MAX_THREADS)) {
      problems.add(
          "threads must be between 1 and "
              + MAX_THREADS
              + ", got "
              + config.threads()
              + "; e.g. 4");
    }
    if (config.indirectSelection() != null) {
      try {
        Selector.IndirectSelection.of(config.indirectSelection());
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage() + "; e.g. `indirectSelection: cautious`");
      }
    }
    return problems;
  }

  @Override
  public TaskResult run(Config config, TaskContext context) throws Exception {
    DbtProject project = load(context.workDir().resolve(config.project()).normalize());
    ConnectionConfig db =
        Databases.located(Databases.resolve(null, config.target().connection(), context), context);
    int threads = ModelsTarget.threads(config, db, context);
    CompileOptions base = ModelsTarget.options(project, config, db, context);
    CompileOptions options = base.withTarget(base.target().withThreads(threads));
    boolean duck = options.target().dialect() == dev.weir.tasks.models.Target.Dialect.DUCKDB;
    List<NodeResult> results;
    int reused;
    // DuckDB: the workers' connections are duplicates of one, held for the run; a network
    // database: each worker takes one from the connection's pool
    try (var first = duck ? Databases.open(db, context) : null) {
      TargetConnections connections =
          duck ? TargetConnections.duckdb(first) : () -> Databases.open(db, context);
      try {
        var runner =
            new ProjectRunner(project, options, connections, threads)
                .indirectSelection(
                    config.indirectSelection() == null
                        ? Selector.IndirectSelection.EAGER
                        : Selector.IndirectSelection.of(config.indirectSelection()));
        context.onCancel(runner::cancel);
        context.logger().info(ModelsTarget.describe(project, options, threads));
        var steps = new ModelSteps(context.steps(), context.logger(), db.url(), project);
        if (!Boolean.FALSE.equals(config.resume())) {
          Set<String> earlier = context.steps().succeededEarlier();
          runner.reusing(n -> earlier.contains(steps.stepName(n)));
        }
        results = runner.run(config.select(), config.exclude(), steps);
        reused = runner.reused();
        if (reused > 0) {
          context
              .logger()
              .info(
                  reused
                      + " selected nodes succeeded in an earlier attempt of this run and were not"
                      + " run again (resume: false runs them all)");
        }
      } catch (ModelsException e) { // a bad ref, a Jinja error, a cycle: trying again cannot fix it
        for (CompiledModel.LogCall call : e.logged()) { // a model's, before it failed to render
          context
              .logger()
              .log(call.info() ? TaskLogger.Level.INFO : TaskLogger.Level.DEBUG, call.message());
        }
        throw TaskFailedException.permanent(context.mask("sql.models: " + e.getMessage()));
      } catch (IllegalArgumentException e) { // a selection that names nothing dbt knows
        throw TaskFailedException.permanent("sql.models: " + e.getMessage());
      }
    }
    if (context.isCancelled()) {
      throw new TaskFailedException("sql.models: cancelled");
    }
    return ModelsReport.of(results, reused, context, project).result();
  }

  private static DbtProject load(Path root) {
    if (!Files.isRegularFile(root.resolve("dbt_project.yml"))) {
      throw TaskFailedException.permanent(
          "sql.models: no dbt_project.yml in "
              + root
              + "; project: names the directory that holds it, relative to the flow file");
    }
    try {
      return DbtProject.load(root);
    } catch (ModelsException e) {
      throw TaskFailedException.permanent("sql.models: " + e.getMessage());
    }
  }
}
