package dev.weir.store;

import dev.weir.testing.TestDatabases;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;

class PostgresDashboardQueriesTest extends DashboardQueriesContract {
  private TimeZone before;

  @Override
  JdbcStateStore open() {
    return TestDatabases.freshPostgresStore();
  }

  /**
   * The PostgreSQL driver starts each session in the JVM's time zone (its startup TimeZone wins
   * over {@code options=-c TimeZone=…}), so the JVM is put in the zone while the test runs.
   */
  @Override
  JdbcStateStore openInZone(String zone) {
    before = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(zone));
    return JdbcStateStore.open(
        TestDatabases.freshPostgresSchemaUrl(), null, null, "test PostgreSQL store in " + zone);
  }

  @AfterEach
  void restoreZone() {
    if (before != null) {
      TimeZone.setDefault(before);
    }
  }
}
