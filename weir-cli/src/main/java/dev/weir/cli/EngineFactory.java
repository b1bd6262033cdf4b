package dev.weir.cli;

import dev.weir.config.ProjectConfig;
import dev.weir.engine.Engine;
import dev.weir.engine.EngineOptions;
import dev.weir.engine.RunListener;
import dev.weir.engine.RunListeners;
import dev.weir.staging.StagingGc;
import dev.weir.staging.StagingPolicy;
import dev.weir.staging.StagingRetention;
import dev.weir.store.StateStore;
import dev.weir.task.TaskRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.InstantSource;

final class EngineFactory {
  private EngineFactory() {}

  /**
   * An engine whose secrets and child processes see the environment the command started in, with
   * the plugins of the project whose home this is (skipped ones are told on {@code err}).
   */
  static Engine create(
      StateStore store, Path home, RunListener listener, Surroundings s, PrintWriter err) {
    TaskRegistry registry = TaskTypes.load(s, home.toAbsolutePath().normalize().getParent());
    TaskTypes.warnSkipped(registry, err);
    return create(store, home, listener, s, registry);
  }

  /** The same, with task types already loaded (e.g. while the store was opening). */
  static Engine create(
      StateStore store, Path home, RunListener listener, Surroundings s, TaskRegistry registry) {
    String secretsDir = s.env("WEIR_SECRETS_DIR");
    // the staging policy is applied when each run ends, after the caller's listener heard it
    RunListener all =
        new RunListeners()
            .add(listener)
            .add(new StagingRetention(stagingGc(store, home, stagingPolicy(home))));
    return new Engine(
        store,
        registry,
        new EngineOptions(
            home, null, s.env(), secretsDir == null ? null : s.resolve(Path.of(secretsDir)), all));
  }

  /**
   * Starts loading the task types in the background: their classes take a while to load and
   * initialise, as does opening the store, and a short command waits for both.
   */
  static java.util.concurrent.CompletableFuture<TaskRegistry> loadTaskTypesAhead(
      Surroundings s, Path flowDir) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> TaskTypes.load(s, flowDir));
  }

  /** The loaded task types, or the loader's own error. */
  static TaskRegistry taskTypes(java.util.concurrent.CompletableFuture<TaskRegistry> ahead) {
    try {
      return ahead.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  static StagingGc stagingGc(StateStore store, Path home, StagingPolicy policy) {
    return new StagingGc(store, home.resolve("staging"), policy, InstantSource.system());
  }

  /** {@code staging:} of the project whose home this is: the weir.yaml in or above its parent. */
  static StagingPolicy stagingPolicy(Path home) {
    Path parent = home.toAbsolutePath().normalize().getParent();
    return parent == null ? StagingPolicy.DEFAULT : ProjectConfig.find(parent).staging();
  }
}
