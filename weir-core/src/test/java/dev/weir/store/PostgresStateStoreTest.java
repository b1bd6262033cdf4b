package dev.weir.store;

import dev.weir.testing.TestDatabases;

/**
 * PostgreSQL, in a fresh schema per test: the server at {@code WEIR_TEST_PG_URL}, else an embedded
 * one; skipped with the reason when neither is available.
 */
class PostgresStateStoreTest extends StateStoreContract {
  @Override
  StateStore open() {
    return TestDatabases.freshPostgresStore();
  }
}
