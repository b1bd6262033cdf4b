package dev.weir.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: an H2 file in a fresh directory. */
class H2StateStoreTest extends StateStoreContract {
  @TempDir Path dir;

  @Override
  StateStore open() {
    return JdbcStateStore.h2(dir.resolve(".weir"));
  }
}
