package dev.weir.tasks.models;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs a project's selected nodes against a target as {@code dbt build} does: seeds and models in
 * DAG order, each node's tests right after it; a failing error-severity test (or a failed node)
 * skips everything downstream, a warn-severity test only records. Up to {@code threads} nodes run
 * at once, each worker thread on a connection of its own ({@link TargetConnections}); the
 * scheduling is {@link BuildScheduler}'s. {@link #cancel()} stops a run from another thread.
 *
 * <p>One run at a time per runner.
 */
public final class ProjectRunner {
  /**
   * Hears about nodes as they run. {@code started} and {@code finished} of a node that runs are
   * called on the worker thread that runs it, so calls for different nodes come from several
   * threads at once: implementations must be thread-safe. A node that is skipped (or cancelled
   * before it started) gets only {@code finished}, with status {@code SKIPPED}, from the thread
   * coordinating the run. Ephemeral models, which never run, are reported only when skipped. An
   * exception thrown by a callback is logged and does not stop the run.
   */
  public interface Listener {
    default void started(GraphNode node) {}

    default void finished(NodeResult result) {}

    Listener NONE = new Listener() {};
  }

  private final ModelCompiler compiler;
  private final CompileOptions options;
  private final TargetConnections connections;
  private final boolean owned;
  private final int threads;
  private volatile InFlight current = new InFlight();
  private volatile boolean cancelled;
  private Selector.IndirectSelection indirect = Selector.IndirectSelection.EAGER;
  private Predicate<GraphNode> builtAlready = n -> false;
  private volatile int reused;

  /**
   * Runs one node at a time on {@code connection}, which stays open (the caller's). {@code options}
   * as the compiler was built with; its {@code fullRefresh} rebuilds tables.
   */
  public ProjectRunner(DbtProject project, CompileOptions options, Connection connection) {
    this(project, options, () -> connection, 1, false);
  }

  /**
   * Runs up to {@code threads} nodes at once, each worker thread on a connection opened from {@code
   * connections} and closed when the run ends.
   */
  public ProjectRunner(
      DbtProject project, CompileOptions options, TargetConnections connections, int threads) {
    this(project, options, connections, threads, true);
  }

  private ProjectRunner(
      DbtProject project,
      CompileOptions options,
      TargetConnections connections,
      int threads,
      boolean owned) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be 1 or more, not " + threads);
    }
    this.compiler = new ModelCompiler(project, options.withIncremental(false));
    this.options = options;
    this.connections = connections;
    this.threads = threads;
    this.owned = owned;
  }

  /** Runs every node {@code select}/{@code exclude} choose (null: all), returning their results. */
  public List<NodeResult> run(String select, String exclude) {
    return run(select, exclude, Listener.NONE);
  }

  /** Which tests a selection takes along (dbt's {@code --indirect-selection}; eager by default). */
  public ProjectRunner indirectSelection(Selector.IndirectSelection mode) {
    this.indirect = mode;
    return this;
  }

  /**
   * Nodes to leave out of the next runs as built already ({@code dbt retry}: those that succeeded
   * in an earlier attempt). Their downstream nodes run as if they had just succeeded; they are
   * reported neither to the listener nor in the results, only counted ({@link #reused()}).
   */
  public ProjectRunner reusing(Predicate<GraphNode> builtAlready) {
    this.builtAlready = builtAlready;
    return this;
  }

  /** How many selected nodes the last run left out as built already. */
  public int reused() {
    return reused;
  }

  /**
   * Runs every node {@code select}/{@code exclude} choose (null: all), telling {@code listener} as
   * each starts and finishes; the results in graph order (each node's tests after it), whatever the
   * timing.
   */
  public List<NodeResult> run(String select, String exclude, Listener listener) {
    ModelGraph graph = compiler.graph();
    List<GraphNode> chosen =
        select == null && exclude == null
            ? graph.inOrder()
            : new Selector(graph, indirect).select(select, exclude);
    Set<String> ids = new HashSet<>();
    int left = 0;
    for (GraphNode n : chosen) {
      if (builtAlready.test(n)) {
        left++;
      } else {
        ids.add(n.id());
      }
    }
    reused = left;
    InFlight inFlight = new InFlight();
    current = inFlight;
    if (cancelled) {
      inFlight.cancel();
    }
    var executor = new NodeExecutor(compiler, options);
    try (var sessions = new Sessions(connections, owned, options.target().dialect(), inFlight)) {
      var nodes =
          new BuildScheduler.Nodes() {
            @Override
            public NodeResult run(GraphNode n) {
              long start = System.nanoTime();
              if (n.isEphemeral()) {
                return executor.run(n, null);
              }
              Relations on;
              try {
                on = sessions.current();
              } catch (SQLException | RuntimeException e) { // a pool may say it in Weir's words
                return executor.failed(n, start, "cannot connect to the target: " + e.getMessage());
              }
              return executor.run(n, on);
            }

            @Override
            public NodeResult skipped(GraphNode n, String why) {
              return executor.skipped(n, why);
            }

            @Override
            public NodeResult failed(GraphNode n, long start, String why) {
              return executor.failed(n, start, why);
            }

            @Override
            public boolean gates(GraphNode test) {
              return executor.errorSeverity(test);
            }
          };
      return new BuildScheduler(graph, ids, nodes, listener, inFlight).run(threads);
    }
  }

  /**
   * Cancels the run in progress (and any later run of this runner), from any thread: no node starts
   * any more and the statements running are cancelled. The nodes stopped or never started are
   * reported {@code SKIPPED} with the message {@code cancelled}; {@link #run} returns once the
   * running ones have stopped.
   */
  public void cancel() {
    cancelled = true;
    current.cancel();
  }
}
