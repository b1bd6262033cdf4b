package dev.weir.store;

import dev.weir.testing.TestDatabases;

/** Routed attempts on PostgreSQL, where the workers of a real cluster claim them. */
class PostgresAttemptQueueTest extends AttemptQueueContract {
  @Override
  StateStore open() {
    return TestDatabases.freshPostgresStore();
  }
}
