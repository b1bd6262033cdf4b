package dev.weir.store;

/**
 * What the runs list ({@link JdbcRunSearch}) does differently on each database. PostgreSQL plans a
 * page from its statistics and needs nothing; H2's planner picks the index of the most selective
 * looking condition even when the filter matches most runs, then sorts them all (0.4 s for 84,000
 * runs), so H2 is told to read the runs in the order of the page.
 */
enum RunsDialect {
  H2 {
    @Override
    String readInOrderOf(String index) {
      return " USE INDEX (" + index + ")";
    }

    @Override
    boolean countsAllRowsAtOnce() {
      return true;
    }

    // H2 2.5.252 reads an index for an IN list in sorted order, and a statement it runs again
    // from its query cache with new parameters (the next page) then skips rows: found by
    // RunSearchContract, fixed by QUERY_CACHE_SIZE=0 or by this. An expression of the column is no
    // index condition; the state or trigger is then checked on each run read.
    @Override
    String oneOf(String column, int n) {
      return "CONCAT(" + column + ", '') IN (" + marks(n) + ")";
    }
  },
  POSTGRESQL {
    @Override
    String readInOrderOf(String index) {
      return "";
    }

    @Override
    boolean countsAllRowsAtOnce() {
      return false; // COUNT(*) reads every row
    }
  };

  /** A condition that {@code column} is one of {@code n} parameters. */
  String oneOf(String column, int n) {
    return column + " IN (" + marks(n) + ")";
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /** A table hint to read the runs through {@code index}, or nothing. */
  abstract String readInOrderOf(String index);

  /** Whether counting a whole table costs nothing (H2 keeps its row count). */
  abstract boolean countsAllRowsAtOnce();

  static RunsDialect of(String jdbcUrl) {
    return jdbcUrl.startsWith("jdbc:h2:") ? H2 : POSTGRESQL;
  }
}
