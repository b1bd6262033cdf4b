package dev.weir.tasks.cdc;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import dev.weir.tasks.jdbc.SchemaChanges;
import dev.weir.tasks.jdbc.TargetTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The target tables of a stream as far as the task has seen them: created from the source's columns
 * when missing, and given the columns a source table gained mid-stream ({@code schemaChanges:
 * addColumns}), or the stream stopped naming the table, the column and the change ({@code fail}).
 * DDL runs before a batch's transaction (MariaDB commits on DDL).
 */
final class TargetTables {
  private final TargetSql sql;
  private final String schema;
  private final SchemaChanges changes;
  private final boolean soft;
  private final TaskLogger log;
  private final Map<String, Set<String>> known = new HashMap<>(); // source table → lower-case cols

  TargetTables(TargetSql sql, String schema, SchemaChanges changes, boolean soft, TaskLogger log) {
    this.sql = sql;
    this.schema = schema;
    this.changes = changes;
    this.soft = soft;
    this.log = log;
  }

  /** The target table of a source table ({@code public.orders} → {@code raw.orders}). */
  String name(String sourceTable) {
    String table = sourceTable.substring(sourceTable.lastIndexOf('.') + 1);
    return schema == null ? table : schema + "." + table;
  }

  String sqlName(String sourceTable) {
    return sql.dialect.qualified(name(sourceTable));
  }

  /** Whether the target table exists (checked once, then known). */
  boolean exists(Connection c, String sourceTable) throws SQLException {
    return columns(c, sourceTable) != null;
  }

  /** Makes the target table of {@code shape} ready: created when missing, its new columns added. */
  void prepare(Connection c, RowShape shape, List<String> key) throws SQLException {
    Set<String> have = columns(c, shape.table());
    if (have == null) {
      create(c, shape, key);
      return;
    }
    var missing = new ArrayList<RowShape.Column>();
    for (RowShape.Column col : shape.columns()) {
      if (!have.contains(col.name().toLowerCase(Locale.ROOT))) {
        missing.add(col);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    if (changes != SchemaChanges.ADD_COLUMNS) {
      RowShape.Column first = missing.getFirst();
      throw TaskFailedException.permanent(
          "source table "
              + shape.table()
              + " has a new column "
              + first.name()
              + " ("
              + first.duckType()
              + ") that target table "
              + name(shape.table())
              + " lacks"
              + (missing.size() > 1
                  ? " (and "
                      + String.join(
                          ", ", missing.stream().skip(1).map(RowShape.Column::name).toList())
                      + ")"
                  : "")
              + "; the stream stopped before applying it (schemaChanges: fail). Set"
              + " `schemaChanges: addColumns` to add new columns, or add "
              + first.name()
              + " to the target by hand and run again");
    }
    for (RowShape.Column col : missing) {
      execute(
          c,
          "ALTER TABLE "
              + sqlName(shape.table())
              + " ADD COLUMN "
              + sql.id(col.name())
              + " "
              + sql.dialect.columnType(col.duckType(), false));
      have.add(col.name().toLowerCase(Locale.ROOT));
      log.info(
          "source table "
              + shape.table()
              + " gained column "
              + col.name()
              + ": added it to "
              + name(shape.table()));
    }
  }

  private Set<String> columns(Connection c, String sourceTable) throws SQLException {
    if (known.containsKey(sourceTable)) {
      return known.get(sourceTable);
    }
    Map<String, String> cols = new TargetTable(name(sourceTable), sql.dialect).columns(c);
    if (cols.isEmpty()) {
      return null;
    }
    var lower = new HashSet<String>();
    cols.keySet().forEach(n -> lower.add(n.toLowerCase(Locale.ROOT)));
    if (soft && !lower.contains(CdcOptions.DELETED)) {
      // the soft-delete columns are Weir's own: added whatever schemaChanges says
      execute(
          c,
          "ALTER TABLE "
              + sqlName(sourceTable)
              + " ADD COLUMN "
              + sql.id(CdcOptions.DELETED)
              + " BOOLEAN");
      execute(
          c,
          "ALTER TABLE "
              + sqlName(sourceTable)
              + " ADD COLUMN "
              + sql.id(CdcOptions.DELETED_AT)
              + " "
              + sql.dialect.columnType("TIMESTAMPTZ", false));
      lower.add(CdcOptions.DELETED);
      lower.add(CdcOptions.DELETED_AT);
    }
    known.put(sourceTable, lower);
    return lower;
  }

  private void create(Connection c, RowShape shape, List<String> key) throws SQLException {
    var defs = new ArrayList<String>();
    for (RowShape.Column col : shape.columns()) {
      boolean isKey = key.contains(col.name());
      defs.add(
          sql.id(col.name())
              + " "
              + sql.dialect.columnType(col.duckType(), isKey)
              + (isKey ? " NOT NULL" : ""));
    }
    if (soft) {
      defs.add(sql.id(CdcOptions.DELETED) + " BOOLEAN");
      defs.add(sql.id(CdcOptions.DELETED_AT) + " " + sql.dialect.columnType("TIMESTAMPTZ", false));
    }
    defs.add("PRIMARY KEY (" + String.join(", ", key.stream().map(sql::id).toList()) + ")");
    if (schema != null && sql.dialect != dev.weir.tasks.jdbc.Dialect.MYSQL) {
      execute(c, "CREATE SCHEMA IF NOT EXISTS " + sql.id(schema));
    }
    execute(c, "CREATE TABLE " + sqlName(shape.table()) + " (" + String.join(", ", defs) + ")");
    var cols = new HashSet<String>();
    shape.columns().forEach(col -> cols.add(col.name().toLowerCase(Locale.ROOT)));
    if (soft) {
      cols.add(CdcOptions.DELETED);
      cols.add(CdcOptions.DELETED_AT);
    }
    known.put(shape.table(), cols);
    log.info("created target table " + name(shape.table()) + " from source table " + shape.table());
  }

  private static void execute(Connection c, String ddl) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(ddl);
    }
  }
}
