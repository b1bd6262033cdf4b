package dev.weir.tasks.jdbc;

/** {@code jdbc.query} on a DuckDB file, the embedded warehouse. */
class DuckDbQueryTest extends QueryContract {
  @Override
  String freshUrl() {
    return "jdbc:duckdb:" + dir.resolve("dw.duckdb").toAbsolutePath();
  }
}
