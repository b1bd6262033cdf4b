package dev.weir.tasks.jdbc;

/** {@code jdbc.query} on a SQLite file. */
class SqliteQueryTest extends QueryContract {
  @Override
  String freshUrl() {
    return "jdbc:sqlite:" + dir.resolve("db.sqlite").toAbsolutePath();
  }
}
