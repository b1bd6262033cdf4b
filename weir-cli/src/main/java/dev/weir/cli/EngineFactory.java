package dev.weir.cli;

import dev.weir.engine.Engine;
import dev.weir.engine.RunListener;
import dev.weir.store.StateStore;
import dev.weir.task.TaskRegistry;
import java.nio.file.Path;

final class EngineFactory {
  private EngineFactory() {}

  static Engine create(StateStore store, Path home, RunListener listener) {
    String secretsDir = System.getenv("WEIR_SECRETS_DIR");
    return new Engine(
        store,
        TaskRegistry.load(),
        new Engine.Options(
            home, null, null, secretsDir == null ? null : Path.of(secretsDir), listener));
  }
}
