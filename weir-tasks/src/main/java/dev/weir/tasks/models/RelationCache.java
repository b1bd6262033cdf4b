package dev.weir.tasks.models;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The relations (name → {@code BASE TABLE}, {@code VIEW}) of the schemas one run touches, as dbt's
 * adapter cache: each schema is read with one query the first time it is needed, then kept up to
 * date by the runner as it creates, renames and drops — only once the statement or transaction that
 * made the change has committed, so a failed one leaves the cache as the database is. Shared by the
 * run's worker threads; each relation is written by one node, so changes to one name never race. A
 * schema whose state is in doubt is {@link #invalidate}d and read again.
 *
 * <p>On PostgreSQL a cascading drop also drops views the cache still lists; those entries are
 * harmless: drops say {@code if exists}, and existence only decides anything for tables.
 */
final class RelationCache {
  /** Reads one schema's relations: name → table_type. */
  @FunctionalInterface
  interface Loader {
    Map<String, String> load(String schema) throws SQLException;
  }

  private final Map<String, Map<String, String>> schemas = new HashMap<>();

  /** {@code schema.name}'s table_type, or null; reads the schema with {@code loader} once. */
  synchronized String kind(String schema, String name, Loader loader) throws SQLException {
    Map<String, String> known = schemas.get(schema);
    if (known == null) {
      known = new HashMap<>(loader.load(schema));
      schemas.put(schema, known);
    }
    return known.get(name);
  }

  /**
   * {@code schema.name} is now {@code kind} (null: gone). A schema not read yet is left so: when
   * read, it will show the change, which committed before this call.
   */
  synchronized void put(String schema, String name, String kind) {
    Map<String, String> known = schemas.get(schema);
    if (known == null) {
      return;
    }
    if (kind == null) {
      known.remove(name);
    } else {
      known.put(name, kind);
    }
  }

  /** Forgets {@code schema}: the next lookup reads it again. */
  synchronized void invalidate(String schema) {
    schemas.remove(schema);
  }
}
