package dev.weir.tasks.models;

import java.util.List;

/**
 * What the first pass found in a model: the {@code ref}s and {@code source}s it calls (with their
 * lines), its final config (dbt_project.yml, YAML, then its {@code config()} call) and the line of
 * that call (1 without one), where a config problem is reported; and what its {@code log()} calls
 * said, for a bad ref's or source's error.
 */
record ParsedModel(
    ModelFile model,
    NodeConfig config,
    List<ModelContext.Call> refs,
    List<ModelContext.Call> sources,
    int configLine,
    List<CompiledModel.LogCall> logged) {
  /** What the model's {@code log()} calls said before {@code call}. */
  List<CompiledModel.LogCall> loggedBefore(ModelContext.Call call) {
    return logged.subList(0, Math.min(call.logsBefore(), logged.size()));
  }
}
