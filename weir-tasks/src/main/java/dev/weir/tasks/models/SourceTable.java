package dev.weir.tasks.models;

import dev.weir.flow.Location;

/** A table of a YAML {@code sources:} entry; {@code source('source', 'table')} names it. */
public record SourceTable(
    String source, String table, String schema, String identifier, Location location) {
  /** {@code source.table}, the graph's name for it. */
  public String qualifiedName() {
    return source + "." + table;
  }
}
