package dev.weir.tasks.jdbc;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The tables a source query reads, for the audit trail and lineage: the {@code table} property, or
 * the tables JSqlParser finds in the SQL (CTE names left out, sub-selects followed, schema kept,
 * quotes taken off). When the SQL cannot be parsed, or reads through a table function ({@code
 * read_parquet('x')}, {@code generate_series(…)}) or a file literal ({@code FROM 'x.parquet'}), the
 * answer is none: unknown, never a guess that could name a wrong table.
 */
final class SourceTables {
  private SourceTables() {}

  static List<String> of(String table, String sql) {
    if (table != null && !table.isBlank()) {
      return List.of(table.strip());
    }
    if (sql == null || sql.isBlank()) {
      return List.of();
    }
    Statement statement;
    try {
      statement = CCJSqlParserUtil.parse(sql);
    } catch (JSQLParserException | RuntimeException e) {
      return List.of(); // a dialect feature JSqlParser does not know: unknown
    }
    var finder = new Finder();
    Set<String> names;
    try {
      names = finder.getTables(statement);
    } catch (RuntimeException e) {
      return List.of(); // a statement kind the finder does not support
    }
    if (finder.opaque || names.stream().anyMatch(n -> n.startsWith("'"))) {
      return List.of();
    }
    // The finder leaves out a CTE only when spelled the same; `WITH "Recent"` read as `Recent`,
    // or `WITH Recent` read as `recent`, is a CTE too.
    return names.stream()
        .filter(n -> !finder.ctes.contains(n.toLowerCase(Locale.ROOT)))
        .sorted()
        .toList();
  }

  /** Names without quotes; notes a table function, whose input it cannot name. */
  private static final class Finder extends TablesNamesFinder<Void> {
    boolean opaque;
    final Set<String> ctes = new HashSet<>();

    @Override
    public <S> Void visit(WithItem<?> with, S context) {
      if (with.getAlias() != null) {
        ctes.add(unquote(with.getAlias().getName()).toLowerCase(Locale.ROOT));
      }
      return super.visit(with, context);
    }

    @Override
    protected String extractTableName(Table table) {
      return table.getNameParts().reversed().stream()
          .map(SourceTables::unquote)
          .collect(Collectors.joining("."));
    }

    @Override
    public <S> Void visit(TableFunction function, S context) {
      opaque = true;
      return super.visit(function, context);
    }
  }

  private static String unquote(String part) {
    if (part.length() >= 2) {
      char first = part.charAt(0);
      char last = part.charAt(part.length() - 1);
      if ((first == '"' && last == '"') || (first == '`' && last == '`')) {
        return part.substring(1, part.length() - 1)
            .replace(String.valueOf(first) + first, "" + first);
      }
      if (first == '[' && last == ']') {
        return part.substring(1, part.length() - 1);
      }
    }
    return part;
  }
}
