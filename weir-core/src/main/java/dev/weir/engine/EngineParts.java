package dev.weir.engine;

import dev.weir.expr.Expressions;
import dev.weir.expr.Masker;
import dev.weir.expr.RenderLimits;
import dev.weir.expr.Secrets;
import dev.weir.flow.FlowParser;
import dev.weir.store.StateStore;
import dev.weir.task.TaskRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring of an {@link Engine}: builds the collaborators it delegates to from its store, task
 * registry and options, and owns what they share (the task threads, the timer, the routed attempts,
 * the log sink) until {@link #close} releases it.
 */
final class EngineParts {
  // logs as the engine, as it did before the wiring moved here
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  final Secrets secrets;
  final RunInputs inputs;
  final EngineServices services;
  final RunScopes scopes;
  final StoredFlows flows;
  final RunLaunches launches;
  final RunStarts starts;
  final RunRestarts restarts;

  /**
   * @param engine the engine being built, for the subflows of its runs when {@link
   *     EngineOptions#subflows()} gives none; its {@link Engine#parser()} must be set already
   */
  EngineParts(
      Engine engine,
      FlowParser parser,
      StateStore store,
      TaskRegistry registry,
      EngineOptions options) {
    var expressions = new Expressions(RenderLimits.fromEnvironment(options.environment()));
    var logs = new LogSink(store);
    this.secrets = new Secrets(options.environment(), options.secretsDir(), new Masker());
    var render = new Expressions.Services(secrets, options.clock());
    var variables = new RunVariables(expressions, render);
    this.inputs = new RunInputs(variables, expressions, render, options.clock());
    this.services =
        new EngineServices(
            store,
            registry,
            options.clock(),
            options.timer() == null ? EngineTimer.system() : options.timer(),
            workers,
            logs,
            secrets,
            options.listener(),
            options.gate(),
            RandomGenerator.getDefault(),
            options.claimant(),
            new RoutedAttempts(store));
    var staging = new DatasetStaging(options.staging());
    this.scopes =
        new RunScopes(
            store,
            staging,
            expressions,
            render,
            variables,
            options.environment(),
            options.subflows() == null ? new LocalSubflows(engine) : options.subflows());
    this.flows = new StoredFlows(store, parser);
    this.launches = new RunLaunches(services, scopes);
    this.starts = new RunStarts(services, variables, inputs, staging, launches);
    this.restarts = new RunRestarts(services, staging, flows, inputs, launches);
  }

  /**
   * Releases what the collaborators share, once the engine's runs are abandoned: the task threads
   * are interrupted and waited for up to {@link Engine#CLOSE_WAIT} (one that ignores its interrupt
   * longer is left, with a warning).
   */
  void close() {
    services.timer().close();
    services.routed().close();
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(Engine.CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "engine closed while some task threads still run {} s after being interrupted",
            Engine.CLOSE_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.logs().close();
  }
}
