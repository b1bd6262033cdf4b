package dev.weir.store;

import dev.weir.testing.TestDatabases;

class PostgresLogSearchTest extends LogSearchContract {
  @Override
  JdbcStateStore open() {
    return TestDatabases.freshPostgresStore();
  }
}
