package dev.weir.tasks.models;

import java.util.List;

/**
 * A model's compiled SQL (relations resolved, ephemeral models inlined), its final config, and what
 * its {@code {{ log(...) }}} calls said while it compiled.
 */
public record CompiledModel(
    ModelFile model, NodeConfig config, Relation relation, String sql, List<LogCall> logged) {
  public CompiledModel {
    logged = logged == null ? List.of() : List.copyOf(logged);
  }

  /**
   * One {@code {{ log(message, info=...) }}} call: dbt prints the message with {@code info=True}
   * and keeps it in its debug log otherwise.
   */
  public record LogCall(String message, boolean info) {}
}
