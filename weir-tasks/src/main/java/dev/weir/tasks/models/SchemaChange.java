package dev.weir.tasks.models;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental run's {@code on_schema_change}: a column the new rows have and the table lacks
 * fails the model ({@code fail}, Weir's default), is left out ({@code ignore}) or is added to the
 * table ({@code append_new_columns}).
 */
final class SchemaChange {
  private final Relations relations;
  private final CompiledModel m;

  SchemaChange(Relations relations, CompiledModel m) {
    this.relations = relations;
    this.m = m;
  }

  /** The columns of {@code schema.tmp} to insert into {@code schema.name}, which may gain some. */
  List<String> columns(String schema, String name, String tmp) throws SQLException {
    List<String> have = relations.columns(schema, name);
    List<String> cols = new ArrayList<>(relations.columns(schema, tmp));
    String mode = m.config().onSchemaChange() == null ? "fail" : m.config().onSchemaChange();
    for (String c : List.copyOf(cols)) {
      if (have.contains(c)) {
        continue;
      }
      switch (mode) {
        case "ignore" -> cols.remove(c);
        case "append_new_columns" ->
            relations.execute(
                "alter table "
                    + m.relation()
                    + " add column "
                    + relations.q(c)
                    + " "
                    + relations.type(schema, tmp, c));
        default ->
            throw new ModelsException(
                m.model().path(),
                1,
                "incremental model "
                    + m.model().name()
                    + " has a new column '"
                    + c
                    + "' that "
                    + m.relation()
                    + " does not have; rebuild it with a full refresh, or set"
                    + " on_schema_change to append_new_columns or ignore");
      }
    }
    return cols;
  }
}
