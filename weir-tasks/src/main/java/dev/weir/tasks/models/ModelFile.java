package dev.weir.tasks.models;

/**
 * One {@code models/**.sql} file: its name (the file name without {@code .sql}), its path relative
 * to the project, its Jinja SQL, and the config dbt_project.yml and the YAML files give it.
 */
public record ModelFile(
    String name, String path, String sql, NodeConfig config, String description) {}
