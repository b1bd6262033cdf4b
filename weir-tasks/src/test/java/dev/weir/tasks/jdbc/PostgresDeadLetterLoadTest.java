package dev.weir.tasks.jdbc;

import dev.weir.testing.TestDatabases;

class PostgresDeadLetterLoadTest extends DeadLetterLoadContract {
  @Override
  String freshUrl() {
    return TestDatabases.freshPostgresSchemaUrl();
  }
}
