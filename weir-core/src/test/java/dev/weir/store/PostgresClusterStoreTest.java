package dev.weir.store;

import dev.weir.testing.TestDatabases;

/** The cluster's tables on PostgreSQL, where the nodes of a real cluster meet. */
class PostgresClusterStoreTest extends ClusterStoreContract {
  @Override
  StateStore open() {
    return TestDatabases.freshPostgresStore();
  }
}
