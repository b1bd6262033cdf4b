package dev.weir.tasks.models;

import java.sql.SQLException;

/**
 * Builds a compiled model in the target: {@code view} (create or replace), {@code table} (built
 * under a temporary name, then swapped in atomically), {@code incremental} (as a table the first
 * time or on a full refresh; later its new rows put into the table by its strategy, {@link
 * Incremental}). Ephemeral models are never built.
 */
final class Materializer {
  /** The statement prefix before the model's SQL; it ends with a newline so lines stay aligned. */
  record Built(long rows, String statement, int prefixLines) {}

  private final Relations relations;
  private String last = "";

  Materializer(Relations relations) {
    this.relations = relations;
  }

  /** Whether {@code m}'s relation exists (an incremental model then runs incrementally). */
  boolean exists(CompiledModel m) throws SQLException {
    return relations.kind(m.relation().getSchema(), m.relation().getIdentifier()) != null;
  }

  Built view(CompiledModel m) throws SQLException {
    String schema = m.relation().getSchema();
    String name = m.relation().getIdentifier();
    relations.createSchema(schema);
    if ("BASE TABLE".equals(relations.kind(schema, name))) {
      relations.drop(schema, name);
    }
    String stmt = "create or replace view " + m.relation() + " as\n" + m.sql();
    last = stmt;
    try {
      relations.create(schema, name, "VIEW", stmt);
    } catch (SQLException e) {
      if (!"42P16".equals(e.getSQLState())) {
        throw e;
      }
      // PostgreSQL cannot replace a view whose columns changed: drop and create, atomically
      stmt = "create view " + m.relation() + " as\n" + m.sql();
      last = stmt;
      relations.replace(schema, name, "VIEW", stmt);
    }
    return new Built(0, stmt, 1);
  }

  /** A {@code table} model. */
  Built table(CompiledModel m) throws SQLException {
    return table(m, null);
  }

  /**
   * An incremental model built as a table (its first run, a full refresh), with the unique index
   * its strategy {@code s} needs.
   */
  Built table(CompiledModel m, Incremental.Strategy s) throws SQLException {
    String schema = m.relation().getSchema();
    String name = m.relation().getIdentifier();
    String tmp = Relations.temporary(name);
    relations.createSchema(schema);
    relations.drop(schema, tmp); // left by a run that could not clean up (it was killed)
    String stmt = "create table " + relations.name(schema, tmp) + " as\n" + m.sql();
    last = stmt;
    try {
      long rows = relations.create(schema, tmp, "BASE TABLE", stmt);
      if (rows < 0) {
        rows = relations.count(relations.name(schema, tmp));
      }
      String index = s == null ? null : Incremental.uniqueIndex(relations, m, s, false);
      relations.swap(schema, tmp, name, index);
      return new Built(rows, stmt, 1);
    } catch (SQLException | RuntimeException e) { // a cancel among them: no statement starts now
      relations.dropTemporary(schema, tmp, e);
      throw e;
    }
  }

  /** Puts {@code m} (compiled with {@code is_incremental()} true) into its table by {@code s}. */
  Built incremental(CompiledModel m, Incremental.Strategy s) throws SQLException {
    return new Incremental(relations, stmt -> last = stmt).apply(m, s);
  }

  /** The last statement with the model's SQL this materializer ran (or tried to). */
  String lastStatement() {
    return last;
  }
}
