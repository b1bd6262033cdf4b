package dev.weir.store;

import dev.weir.testing.TestDatabases;

class PostgresStreamOffsetsTest extends StreamOffsetsContract {
  @Override
  StateStore open() {
    return TestDatabases.freshPostgresStore();
  }
}
