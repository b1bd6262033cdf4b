package dev.weir.cli;

import dev.weir.engine.Engine;
import dev.weir.engine.RunListener;
import dev.weir.store.StateStore;
import dev.weir.task.TaskRegistry;
import java.nio.file.Path;

final class EngineFactory {
  private EngineFactory() {}

  /** An engine whose secrets and child processes see the environment the command started in. */
  static Engine create(StateStore store, Path home, RunListener listener, Surroundings s) {
    String secretsDir = s.env("WEIR_SECRETS_DIR");
    return new Engine(
        store,
        TaskRegistry.load(),
        new Engine.Options(
            home,
            null,
            s.env(),
            secretsDir == null ? null : s.resolve(Path.of(secretsDir)),
            listener));
  }
}
