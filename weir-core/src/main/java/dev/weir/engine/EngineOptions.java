package dev.weir.engine;

import dev.weir.store.Claimant;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How an {@link Engine} is set up.
 *
 * @param home where staging data lives ({@code <home>/staging/<run>/<task>})
 * @param environment the process environment: secrets ({@code WEIR_SECRET_*}) and what child
 *     processes inherit
 * @param secretsDir a directory of secret files, or null
 * @param gate what an attempt waits for before it runs (pools, circuit breakers); none by default
 * @param timer what retry delays, timeouts and sensors wait on; a real one by default (tests pass
 *     one they advance, with the same object as {@code clock})
 * @param subflows where subflow tasks find and start flows; null for {@link LocalSubflows} (the
 *     flow files beside the parent's and in its project, run on this engine)
 * @param claimant who this engine takes runs over as, asked at each claim: a cluster node in its
 *     current epoch; null for this process ({@code host:pid})
 * @param staging where tasks stage their datasets; null for {@code <home>/staging}. The nodes of a
 *     cluster share one — a directory on a shared file system at one path, or a {@link
 *     StagingStore} (S3) each node caches in a directory of its own — so that a run another node
 *     adopts, or a task routed to a worker, reads the datasets staged elsewhere
 */
public record EngineOptions(
    Path home,
    InstantSource clock,
    Map<String, String> environment,
    Path secretsDir,
    RunListener listener,
    TaskGate gate,
    EngineTimer timer,
    SubflowHost subflows,
    Supplier<Claimant> claimant,
    StagingArea staging) {
  public EngineOptions {
    staging =
        staging != null
            ? staging
            : home == null ? null : StagingArea.local(home.resolve("staging"));
    clock = clock == null ? InstantSource.system() : clock;
    environment = environment == null ? System.getenv() : Map.copyOf(environment);
    listener = listener == null ? RunListener.NONE : listener;
    gate = gate == null ? TaskGate.NONE : gate;
    if (claimant == null) {
      Claimant self = Claimant.process(RunOwner.self());
      claimant = () -> self;
    }
  }

  public EngineOptions(
      Path home,
      InstantSource clock,
      Map<String, String> environment,
      Path secretsDir,
      RunListener listener,
      TaskGate gate,
      EngineTimer timer,
      SubflowHost subflows) {
    this(home, clock, environment, secretsDir, listener, gate, timer, subflows, null, null);
  }

  public EngineOptions(
      Path home,
      InstantSource clock,
      Map<String, String> environment,
      Path secretsDir,
      RunListener listener,
      TaskGate gate) {
    this(home, clock, environment, secretsDir, listener, gate, null, null);
  }

  public EngineOptions(
      Path home,
      InstantSource clock,
      Map<String, String> environment,
      Path secretsDir,
      RunListener listener) {
    this(home, clock, environment, secretsDir, listener, null, null, null);
  }

  public static EngineOptions defaults(Path home) {
    return new EngineOptions(home, null, null, null, null);
  }

  public EngineOptions withListener(RunListener l) {
    return new EngineOptions(
        home, clock, environment, secretsDir, l, gate, timer, subflows, claimant, staging);
  }

  public EngineOptions withGate(TaskGate g) {
    return new EngineOptions(
        home, clock, environment, secretsDir, listener, g, timer, subflows, claimant, staging);
  }

  /** These options with {@code t} as the engine's timer and clock. */
  public <T extends EngineTimer & InstantSource> EngineOptions withTimer(T t) {
    return new EngineOptions(
        home, t, environment, secretsDir, listener, gate, t, subflows, claimant, staging);
  }

  public EngineOptions withSubflows(SubflowHost s) {
    return new EngineOptions(
        home, clock, environment, secretsDir, listener, gate, timer, s, claimant, staging);
  }

  public EngineOptions withClaimant(Supplier<Claimant> c) {
    return new EngineOptions(
        home, clock, environment, secretsDir, listener, gate, timer, subflows, c, staging);
  }

  /** These options with datasets staged in {@code dir} (a directory every node can read). */
  public EngineOptions withStaging(Path dir) {
    return withStaging(StagingArea.local(dir));
  }

  /** These options with datasets staged in {@code area} (with a store every node reads). */
  public EngineOptions withStaging(StagingArea area) {
    return new EngineOptions(
        home, clock, environment, secretsDir, listener, gate, timer, subflows, claimant, area);
  }
}
