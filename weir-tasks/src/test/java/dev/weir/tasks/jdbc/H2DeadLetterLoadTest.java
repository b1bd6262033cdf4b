package dev.weir.tasks.jdbc;

class H2DeadLetterLoadTest extends DeadLetterLoadContract {
  @Override
  String freshUrl() {
    return "jdbc:h2:" + dir.resolve("h2") + ";DATABASE_TO_UPPER=TRUE";
  }
}
