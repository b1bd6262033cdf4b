package dev.weir.tasks.jdbc;

class H2LoadTest extends LoadContract {
  @Override
  String freshUrl() {
    return "jdbc:h2:" + dir.resolve("h2") + ";DATABASE_TO_UPPER=TRUE";
  }
}
