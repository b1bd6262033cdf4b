package dev.weir.tasks.models;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

class IncrementalStrategiesDuckDbTest extends IncrementalStrategiesContract {
  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:duckdb:");
  }

  @Override
  Target target() {
    return Target.duckdb("main");
  }
}
