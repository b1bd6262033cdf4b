package dev.weir.store;

import dev.weir.testing.TestDatabases;

/** The runs list on PostgreSQL: WEIR_TEST_PG_URL, else an embedded one. */
class PostgresRunSearchTest extends RunSearchContract {
  @Override
  JdbcStateStore open() {
    return TestDatabases.freshPostgresStore();
  }
}
