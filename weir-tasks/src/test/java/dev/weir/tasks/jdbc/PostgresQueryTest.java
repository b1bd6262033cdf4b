package dev.weir.tasks.jdbc;

import dev.weir.testing.TestDatabases;

/** {@code jdbc.query} on PostgreSQL. */
class PostgresQueryTest extends QueryContract {
  @Override
  String freshUrl() {
    return TestDatabases.freshPostgresSchemaUrl();
  }
}
