package dev.weir.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2DashboardQueriesTest extends DashboardQueriesContract {
  @TempDir Path dir;

  @Override
  JdbcStateStore open() {
    return JdbcStateStore.h2(dir.resolve(".weir"));
  }

  @Override
  JdbcStateStore openInZone(String zone) {
    return JdbcStateStore.open(
        "jdbc:h2:file:" + dir.resolve("zoned") + ";INIT=SET TIME ZONE '" + zone + "'",
        null,
        null,
        "H2 store in " + zone);
  }
}
