package dev.weir.tasks.quality;

import dev.weir.store.StateStore;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;

/** The anomaly flow on a PostgreSQL store, as a server runs it. */
class AnomalyFlowPostgresTest extends AnomalyFlowContract {
  @Override
  StateStore open(Path dir) {
    return TestDatabases.freshPostgresStore();
  }
}
