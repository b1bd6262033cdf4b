package dev.weir.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2StreamOffsetsTest extends StreamOffsetsContract {
  @TempDir Path dir;

  @Override
  StateStore open() {
    return JdbcStateStore.h2(dir.resolve(".weir"));
  }
}
