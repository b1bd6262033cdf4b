package dev.weir.store;

import dev.weir.testing.TestDatabases;

/** The circuit breakers' table on PostgreSQL, where the nodes of a real cluster share it. */
class PostgresBreakerStoreTest extends BreakerStoreContract {
  @Override
  StateStore open() {
    return TestDatabases.freshPostgresStore();
  }
}
