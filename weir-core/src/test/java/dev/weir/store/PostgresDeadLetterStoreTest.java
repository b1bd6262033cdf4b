package dev.weir.store;

import dev.weir.testing.TestDatabases;

class PostgresDeadLetterStoreTest extends DeadLetterStoreContract {
  @Override
  StateStore open() {
    return TestDatabases.freshPostgresStore();
  }
}
