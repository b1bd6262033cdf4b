package dev.weir.tasks.models;

import dev.weir.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;

class IncrementalStrategiesPostgresTest extends IncrementalStrategiesContract {
  private String url;
  private String schema;

  @BeforeEach
  void freshSchema() {
    url = TestDatabases.freshPostgresSchemaUrl();
    schema = TestDatabases.schemaOf(url);
  }

  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Override
  Target target() {
    return new Target("ci", schema, Target.Dialect.POSTGRES);
  }
}
