package dev.weir.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2RunSearchTest extends RunSearchContract {
  @TempDir Path dir;

  @Override
  JdbcStateStore open() {
    return JdbcStateStore.h2(dir.resolve(".weir"));
  }
}
