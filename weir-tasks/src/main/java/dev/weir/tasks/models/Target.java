package dev.weir.tasks.models;

import java.util.Locale;
import java.util.Map;

/**
 * Where models are built: a name ({@code target.name}, e.g. dev), the default schema, the database
 * type, which decides how names are quoted, and how many nodes run at once ({@code
 * target.threads}).
 */
public record Target(String name, String schema, Dialect dialect, int threads) {
  /** The databases models compile for; both quote names with double quotes. */
  public enum Dialect {
    DUCKDB("duckdb"),
    POSTGRES("postgres");

    private final String type;

    Dialect(String type) {
      this.type = type;
    }

    /** dbt's adapter type ({@code target.type}). */
    public String type() {
      return type;
    }

    public String quote(String identifier) {
      return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    public static Dialect of(String name) {
      return switch (name.toLowerCase(Locale.ROOT)) {
        case "duckdb" -> DUCKDB;
        case "postgres", "postgresql" -> POSTGRES;
        default ->
            throw new IllegalArgumentException(
                "unknown dialect '" + name + "'; give duckdb or postgres");
      };
    }
  }

  public Target {
    if (schema == null || schema.isBlank()) {
      throw new IllegalArgumentException("a target needs a schema, e.g. main or analytics");
    }
  }

  /** A target that runs one node at a time (compiling, listing). */
  public Target(String name, String schema, Dialect dialect) {
    this(name, schema, dialect, 1);
  }

  /** This target with {@code n} nodes at once. */
  public Target withThreads(int n) {
    return new Target(name, schema, dialect, n);
  }

  /** The default target: DuckDB's schema {@code main}, named dev. */
  public static Target duckdb(String schema) {
    return new Target("dev", schema, Dialect.DUCKDB);
  }

  /**
   * dbt's default {@code generate_schema_name}: the target's schema, or {@code <target
   * schema>_<custom>} when a model sets {@code +schema: custom}.
   */
  public String schemaFor(String custom) {
    return custom == null || custom.isBlank() ? schema : schema + "_" + custom.strip();
  }

  /** {@code target} as templates see it. */
  Map<String, Object> asMap() {
    return Map.of("name", name, "schema", schema, "type", dialect.type(), "threads", threads);
  }
}
