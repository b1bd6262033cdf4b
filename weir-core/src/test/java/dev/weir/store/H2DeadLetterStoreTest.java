package dev.weir.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2DeadLetterStoreTest extends DeadLetterStoreContract {
  @TempDir Path dir;

  @Override
  StateStore open() {
    return JdbcStateStore.h2(dir.resolve(".weir"));
  }
}
