package dev.weir.tasks.quality;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.StateStore;
import java.nio.file.Path;

/** The anomaly flow on the embedded default store. */
class AnomalyFlowH2Test extends AnomalyFlowContract {
  @Override
  StateStore open(Path dir) {
    return JdbcStateStore.h2(dir.resolve(".weir"));
  }
}
