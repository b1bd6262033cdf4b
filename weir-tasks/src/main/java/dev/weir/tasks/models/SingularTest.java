package dev.weir.tasks.models;

/** One {@code tests/*.sql}: a query that returns the failing rows. */
public record SingularTest(String name, String path, String sql) {}
