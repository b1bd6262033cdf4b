package dev.weir.tasks.quality;

import static dev.weir.tasks.duck.Sql.id;
import static dev.weir.tasks.duck.Sql.str;

import dev.weir.tasks.duck.DuckSession;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Turns a check into SQL over the view {@code dataset} and runs it. */
final class CheckRunner {
  static final String VIEW = "dataset";
  private static final int EXAMPLES = 5;

  private final DuckSession duck;
  private final Instant now;
  private final AnomalyJudge anomalies;
  private final References references;

  /** Reads the keys a relationships check refers to from a connection's table. */
  @FunctionalInterface
  interface References {
    /**
     * Copies the distinct non-null values of {@code r.field()} in table {@code r.to()} of {@code
     * r.connection()} into a session table with the one column {@link #KEY}; returns its name.
     */
    String read(Relationships r);

    String KEY = "weir_ref_key";
  }

  /**
   * @param now the time freshness is measured from
   * @param anomalies judges a row count against the dataset's history
   * @param references reads a relationships check's keys from a connection
   */
  CheckRunner(DuckSession duck, Instant now, AnomalyJudge anomalies, References references) {
    this.duck = duck;
    this.now = now;
    this.anomalies = anomalies;
    this.references = references;
  }

  CheckResult run(Check check, Severity severity) throws SQLException {
    if (check.rowCount() != null) {
      return rowCount(check, severity);
    }
    if (check.freshness() != null) {
      return FreshnessJudge.judge(duck, check, now, severity);
    }
    if (check.anomaly() != null) {
      long rows = duck.queryLong("SELECT count(*) FROM " + VIEW);
      return anomalies.judge(check, rows, severity);
    }
    String failing = failingRows(check);
    long count = duck.queryLong("SELECT count(*) FROM (" + failing + ")");
    return new CheckResult(
        check.label(),
        check.kind(),
        count == 0,
        count,
        null,
        count == 0 ? "no failing rows" : count + " failing " + (count == 1 ? "row" : "rows"),
        count == 0 ? List.of() : duck.rows(failing, EXAMPLES),
        severity);
  }

  private CheckResult rowCount(Check check, Severity severity) throws SQLException {
    long rows = duck.queryLong("SELECT count(*) FROM " + VIEW);
    Long min = check.rowCount().min();
    Long max = check.rowCount().max();
    String detail = rows + (rows == 1 ? " row" : " rows");
    boolean passed = true;
    if (min != null && rows < min) {
      passed = false;
      detail += ", expected at least " + min;
    } else if (max != null && rows > max) {
      passed = false;
      detail += ", expected at most " + max;
    }
    return new CheckResult(
        check.label(), check.kind(), passed, 0, (double) rows, detail, List.of(), severity);
  }

  /** A query returning the rows that break {@code check}. */
  private String failingRows(Check check) {
    String from = "SELECT * FROM " + VIEW + " WHERE ";
    if (check.notNull() != null) {
      return from + columns(check.notNull(), " IS NULL", " OR ");
    }
    if (check.unique() != null) {
      // as in SQL UNIQUE constraints, keys with a null part are not compared; notNull covers them
      String key = check.unique().stream().map(c -> id(c)).collect(Collectors.joining(", "));
      return from
          + columns(check.unique(), " IS NOT NULL", " AND ")
          + " QUALIFY count(*) OVER (PARTITION BY "
          + key
          + ") > 1 ORDER BY "
          + key;
    }
    if (check.acceptedValues() != null) {
      String values =
          check.acceptedValues().values().stream()
              .map(CheckRunner::literal)
              .collect(Collectors.joining(", "));
      String column = id(check.acceptedValues().column());
      return from + column + " IS NOT NULL AND " + column + " NOT IN (" + values + ")";
    }
    if (check.range() != null) {
      Range r = check.range();
      String column = id(r.column());
      String outside =
          r.min() == null
              ? column + " > " + literal(r.max())
              : r.max() == null
                  ? column + " < " + literal(r.min())
                  : column + " < " + literal(r.min()) + " OR " + column + " > " + literal(r.max());
      return from + column + " IS NOT NULL AND (" + outside + ")";
    }
    if (check.regex() != null) {
      String column = id(check.regex().column());
      return from
          + column
          + " IS NOT NULL AND NOT regexp_matches(CAST("
          + column
          + " AS VARCHAR), "
          + str(check.regex().pattern())
          + ")";
    }
    if (check.relationships() != null) {
      Relationships r = check.relationships();
      String parent = r.toDataset() ? id(r.to()) : references.read(r);
      String key = r.toDataset() ? id(r.field()) : References.KEY;
      return "SELECT * FROM "
          + VIEW
          + " d WHERE d."
          + id(r.column())
          + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
          + parent
          + " p WHERE p."
          + key
          + " = d."
          + id(r.column())
          + ")";
    }
    if (check.sql() != null) {
      return stripSemicolon(check.sql());
    }
    // a row whose predicate is NULL has not shown that it meets it
    return from + "(" + check.expression() + ") IS NOT TRUE";
  }

  private static String stripSemicolon(String sql) {
    String s = sql.strip();
    return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
  }

  private static String columns(List<String> columns, String test, String join) {
    return columns.stream().map(c -> id(c) + test).collect(Collectors.joining(join));
  }

  static String literal(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return str(value.toString());
  }
}
