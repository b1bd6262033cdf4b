package dev.weir.tasks.jdbc;

class DuckDbDeadLetterLoadTest extends DeadLetterLoadContract {
  @Override
  String freshUrl() {
    return "jdbc:duckdb:" + dir.resolve("dw.duckdb").toAbsolutePath();
  }

  @Override
  boolean enforcesLength() {
    return false;
  }

  @Override
  boolean replaceKeepsConstraints() {
    return false;
  }
}
