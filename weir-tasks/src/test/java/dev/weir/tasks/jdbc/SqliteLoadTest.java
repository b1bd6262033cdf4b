package dev.weir.tasks.jdbc;

class SqliteLoadTest extends LoadContract {
  @Override
  String freshUrl() {
    return "jdbc:sqlite:" + dir.resolve("target.db");
  }
}
