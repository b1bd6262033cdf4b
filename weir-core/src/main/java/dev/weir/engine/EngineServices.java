package dev.weir.engine;

import dev.weir.expr.Secrets;
import dev.weir.store.Claimant;
import dev.weir.store.StateStore;
import dev.weir.task.TaskRegistry;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** What coordinators share, owned by the {@link Engine}. */
record EngineServices(
    StateStore store,
    TaskRegistry registry,
    InstantSource clock,
    EngineTimer timer,
    Executor workers,
    LogSink logs,
    Secrets secrets,
    RunListener listener,
    TaskGate gate,
    RandomGenerator random,
    Supplier<Claimant> claimant,
    RoutedAttempts routed) {}
