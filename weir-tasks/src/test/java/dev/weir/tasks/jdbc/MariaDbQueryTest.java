package dev.weir.tasks.jdbc;

import dev.weir.testing.TestDatabases;

/** {@code jdbc.query} on MariaDB (skipped without WEIR_TEST_MYSQL_URL). */
class MariaDbQueryTest extends QueryContract {
  @Override
  String freshUrl() {
    return TestDatabases.freshMysqlDatabaseUrl();
  }
}
