package dev.weir.tasks.models;

import java.util.List;

/**
 * What the first pass found in a model: the {@code ref}s and {@code source}s it calls (with their
 * lines), its final config (dbt_project.yml, YAML, then its {@code config()} call) and the line of
 * that call (1 without one), where a config problem is reported.
 */
record ParsedModel(
    ModelFile model,
    NodeConfig config,
    List<ModelContext.Call> refs,
    List<ModelContext.Call> sources,
    int configLine) {}
