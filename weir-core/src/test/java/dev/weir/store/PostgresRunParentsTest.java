package dev.weir.store;

import dev.weir.testing.TestDatabases;

class PostgresRunParentsTest extends RunParentsContract {
  @Override
  StateStore open() {
    return TestDatabases.freshPostgresStore();
  }
}
