package dev.weir.tasks.models;

import java.util.List;

/**
 * A node of a project's DAG: a model, a seed, a test or a source table, with dbt's unique id
 * ({@code model.jaffle_shop.orders}) and the ids it depends on.
 */
public record GraphNode(
    String id,
    Type type,
    String name,
    String path,
    List<String> tags,
    String materialized,
    List<String> dependsOn) {
  /** dbt's resource types. */
  public enum Type {
    MODEL,
    SEED,
    TEST,
    SOURCE;

    public String dbtName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public GraphNode {
    tags = List.copyOf(tags);
    dependsOn = List.copyOf(dependsOn);
  }

  public boolean isEphemeral() {
    return type == Type.MODEL && "ephemeral".equals(materialized);
  }
}
