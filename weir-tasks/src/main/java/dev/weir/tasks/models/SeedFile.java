package dev.weir.tasks.models;

import java.util.Map;

/** One {@code seeds/*.csv}: its name, path and the {@code column_types} overrides. */
public record SeedFile(
    String name, String path, NodeConfig config, Map<String, String> columnTypes) {
  public SeedFile {
    columnTypes = Map.copyOf(columnTypes);
  }
}
