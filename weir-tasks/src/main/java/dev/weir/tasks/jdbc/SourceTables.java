package dev.weir.tasks.jdbc;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The tables a source query reads, for the audit trail and lineage: the {@code table} property, or
 * the names after {@code FROM} and {@code JOIN} in the SQL. A best guess (no SQL parser): a query
 * over a function or a sub-select names what it can, and a query it cannot read names none.
 */
final class SourceTables {
  private static final Pattern NAMED =
      Pattern.compile(
          "(?i)\\b(?:from|join)\\s+((?:\"[^\"]+\"|[A-Za-z_][\\w$]*)(?:\\.(?:\"[^\"]+\"|[A-Za-z_][\\w$]*))*)");

  private SourceTables() {}

  static List<String> of(String table, String sql) {
    if (table != null && !table.isBlank()) {
      return List.of(table.strip());
    }
    var names = new LinkedHashSet<String>();
    var m = NAMED.matcher(sql == null ? "" : sql);
    while (m.find()) {
      String name = m.group(1).replace("\"", "");
      if (!name.equalsIgnoreCase("select") && !name.equalsIgnoreCase("lateral")) {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }
}
