package dev.weir.tasks.models;

import java.util.Map;
import java.util.function.Function;

/**
 * How to compile a project: the target, vars given on the command line or by the task (they win
 * over dbt_project.yml's), whether incremental models compile their incremental branch ({@code
 * is_incremental()} true: the table exists and no full refresh), and the environment {@code
 * env_var()} reads.
 */
public record CompileOptions(
    String projectName,
    Target target,
    Map<String, Object> vars,
    boolean incremental,
    boolean fullRefresh,
    Function<String, String> env) {
  public CompileOptions {
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
  }

  /** For {@code project}: DuckDB's main schema, no vars, not incremental, the process's env. */
  public static CompileOptions defaults(DbtProject project) {
    return new CompileOptions(
        project.name(), Target.duckdb("main"), Map.of(), false, false, System::getenv);
  }

  public CompileOptions withTarget(Target t) {
    return new CompileOptions(projectName, t, vars, incremental, fullRefresh, env);
  }

  public CompileOptions withVars(Map<String, Object> v) {
    return new CompileOptions(projectName, target, v, incremental, fullRefresh, env);
  }

  public CompileOptions withIncremental(boolean i) {
    return new CompileOptions(projectName, target, vars, i, fullRefresh, env);
  }

  public CompileOptions withEnv(Function<String, String> e) {
    return new CompileOptions(projectName, target, vars, incremental, fullRefresh, e);
  }
}
