package dev.weir.tasks.jdbc;

/** {@code jdbc.query} on an H2 file database. */
class H2QueryTest extends QueryContract {
  @Override
  String freshUrl() {
    return "jdbc:h2:" + dir.resolve("h2db").toAbsolutePath();
  }
}
