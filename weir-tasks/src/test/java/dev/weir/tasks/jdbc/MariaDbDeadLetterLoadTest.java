package dev.weir.tasks.jdbc;

import dev.weir.testing.TestDatabases;

class MariaDbDeadLetterLoadTest extends DeadLetterLoadContract {
  @Override
  String freshUrl() {
    return TestDatabases.freshMysqlDatabaseUrl();
  }
}
