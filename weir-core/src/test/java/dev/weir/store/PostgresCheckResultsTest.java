package dev.weir.store;

import dev.weir.testing.TestDatabases;

class PostgresCheckResultsTest extends CheckResultsContract {
  @Override
  StateStore open() {
    return TestDatabases.freshPostgresStore();
  }
}
