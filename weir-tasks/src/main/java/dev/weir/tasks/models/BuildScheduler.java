package dev.weir.tasks.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the selected nodes of a graph on up to {@code threads} worker threads, in {@code dbt
 * build}'s order. A node starts when the nodes it depends on have finished and the error-severity
 * tests gating it have passed; a node's tests start when it (and their other parents) finished. A
 * test gates a node when the node is a child of one of the test's parents and downstream of all of
 * them (dbt's rule: a {@code relationships} test on two models holds back what is built from both).
 * A failed node, or a failing gating test, skips everything downstream, naming the cause. Among
 * nodes ready at once, tests go first, then the earliest in graph order, so with one thread the
 * order is the sequential one; results come back in that order whatever the timing.
 *
 * <p>The coordinating thread (the caller of {@link #run}) owns all scheduling state; workers only
 * run nodes and hand back their results.
 */
final class BuildScheduler {
  private static final Logger LOG = LoggerFactory.getLogger("weir.models");

  /** How nodes run and are reported skipped. */
  interface Nodes {
    /** Runs {@code n} on the current (worker) thread. */
    NodeResult run(GraphNode n);

    NodeResult skipped(GraphNode n, String why);

    NodeResult failed(GraphNode n, long start, String why);

    /** Whether a failing {@code test} skips the nodes downstream (error severity). */
    boolean gates(GraphNode test);
  }

  private static final class Unit {
    final GraphNode node;
    final int rank; // the graph position it runs after (a test: its last parent's)
    final int kind; // 0 a node, 1 a test: a test goes before the next node
    final int position;
    final Set<String> waiting = new HashSet<>();
    final List<Unit> dependents = new ArrayList<>();
    final List<String> gates = new ArrayList<>();
    boolean scheduled; // made ready once: a root's dependents may become ready before their turn

    Unit(GraphNode node, int rank, int kind, int position) {
      this.node = node;
      this.rank = rank;
      this.kind = kind;
      this.position = position;
    }
  }

  private record Done(Unit unit, NodeResult result) {}

  private static final Comparator<Unit> ORDER =
      Comparator.<Unit>comparingInt(u -> u.rank)
          .thenComparingInt(u -> u.kind)
          .thenComparingInt(u -> u.position);

  private final ModelGraph graph;
  private final Nodes nodes;
  private final ProjectRunner.Listener listener;
  private final InFlight inFlight;
  private final Map<String, Unit> units = new LinkedHashMap<>();
  private final Map<String, String> causes = new HashMap<>(); // why a unit's dependents skip
  private final PriorityQueue<Unit> ready = new PriorityQueue<>(ORDER);
  private final Map<Unit, NodeResult> results = new HashMap<>();

  BuildScheduler(
      ModelGraph graph,
      Set<String> selected,
      Nodes nodes,
      ProjectRunner.Listener listener,
      InFlight inFlight) {
    this.graph = graph;
    this.nodes = nodes;
    this.listener = listener;
    this.inFlight = inFlight;
    List<GraphNode> ordered = graph.inOrder(selected);
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < ordered.size(); i++) {
      position.put(ordered.get(i).id(), i);
    }
    for (GraphNode n : ordered) {
      if (n.type() == GraphNode.Type.SOURCE) {
        continue; // nothing to run: done from the start
      }
      int at = position.get(n.id());
      boolean test = n.type() == GraphNode.Type.TEST;
      int rank =
          test
              ? n.dependsOn().stream()
                  .filter(position::containsKey)
                  .mapToInt(position::get)
                  .max()
                  .orElse(-1)
              : at;
      units.put(n.id(), new Unit(n, rank, test ? 1 : 0, at));
    }
    for (Unit u : units.values()) {
      for (String p : u.node.dependsOn()) {
        wait(u, p);
      }
    }
    addGates();
  }

  /** Runs every selected node; the results in graph order (ephemeral models only if skipped). */
  List<NodeResult> run(int threads) {
    AtomicInteger count = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "weir-models-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    BlockingQueue<Done> done = new LinkedBlockingQueue<>();
    boolean interrupted = false;
    try {
      for (Unit u : List.copyOf(units.values())) {
        if (u.waiting.isEmpty() && !results.containsKey(u)) {
          becomeReady(u);
        }
      }
      int running = 0;
      while (true) {
        while (running < threads && !ready.isEmpty()) {
          Unit u = ready.poll();
          if (inFlight.cancelled()) {
            finish(u, nodes.skipped(u.node, InFlight.CANCELLED), true);
            continue;
          }
          running++;
          pool.execute(() -> done.add(work(u)));
        }
        if (running == 0) {
          break;
        }
        Done d;
        try {
          d = done.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
          inFlight.cancel();
          continue;
        }
        if (d == null) {
          if (inFlight.cancelled()) {
            inFlight.cancelRunning(); // one registered but not yet executing ignored the last
          }
          continue;
        }
        running--;
        finish(d.unit(), d.result(), false);
      }
    } finally {
      pool.shutdownNow();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return units.values().stream()
        .filter(results::containsKey)
        .sorted(ORDER)
        .map(results::get)
        .filter(r -> r != null)
        .toList();
  }

  /** On a worker thread: the node's result, never an exception. */
  private Done work(Unit u) {
    GraphNode n = u.node;
    long start = System.nanoTime();
    NodeResult r;
    try {
      tell(() -> listener.started(n));
      r = nodes.run(n);
    } catch (Throwable e) { // a bug or an out-of-memory: still a result, so the run ends
      // not the exception's text: it may quote compiled SQL, and this log is not masked; the
      // node's result (its step's log) has it, masked
      LOG.error("running {} failed: {} at {}", n.id(), e.getClass().getName(), where(e));
      r = nodes.failed(n, start, String.valueOf(e));
    }
    if (inFlight.cancelled() && r.status() == NodeResult.Status.ERROR) {
      r = nodes.skipped(n, InFlight.CANCELLED);
    }
    NodeResult result = r;
    tell(() -> listener.finished(result));
    return new Done(u, result);
  }

  /** Records {@code r}; the dependents that have nothing more to wait for become ready. */
  private void finish(Unit u, NodeResult r, boolean report) {
    boolean inline = u.node.isEphemeral() && r.status() != NodeResult.Status.SKIPPED;
    results.put(u, inline ? null : r);
    if (report && !inline) {
      tell(() -> listener.finished(r));
    }
    String name = u.node.name();
    if (r.status() == NodeResult.Status.SKIPPED) {
      causes.put(u.node.id(), causeOf(r));
    } else if (r.status() == NodeResult.Status.ERROR && (u.kind == 0 || nodes.gates(u.node))) {
      causes.put(
          u.node.id(), u.kind == 0 ? "upstream " + name + " failed" : "test " + name + " failed");
    }
    for (Unit d : u.dependents) {
      d.waiting.remove(u.node.id());
      if (d.waiting.isEmpty()) {
        becomeReady(d);
      }
    }
  }

  private void becomeReady(Unit u) {
    if (u.scheduled) {
      return;
    }
    u.scheduled = true;
    String cause = inFlight.cancelled() ? InFlight.CANCELLED : null;
    for (String p : u.node.dependsOn()) {
      cause = cause != null ? cause : causes.get(p);
    }
    for (String t : u.gates) {
      cause = cause != null ? cause : causes.get(t);
    }
    if (cause != null) {
      String why = cause.equals(InFlight.CANCELLED) ? cause : "skipped: " + cause;
      finish(u, nodes.skipped(u.node, why), true);
    } else if (u.node.isEphemeral()) {
      finish(u, nodes.run(u.node), false); // inlined where it is ref'd: nothing to run
    } else {
      ready.add(u);
    }
  }

  private static String causeOf(NodeResult skipped) {
    String m = skipped.message();
    return m.startsWith("skipped: ") ? m.substring("skipped: ".length()) : m;
  }

  private void wait(Unit u, String on) {
    Unit p = units.get(on);
    if (p != null && p != u && u.waiting.add(on)) {
      p.dependents.add(u);
    }
  }

  /** dbt's test edges: a gating test holds back its parents' children built from all of them. */
  private void addGates() {
    Map<String, Set<String>> ancestors = new HashMap<>();
    for (Unit t : units.values()) {
      if (t.kind != 1 || !nodes.gates(t.node)) {
        continue;
      }
      List<String> parents = t.node.dependsOn();
      for (String p : parents) {
        for (String c : graph.children(p)) {
          Unit child = units.get(c);
          if (child == null || child.kind == 1) {
            continue;
          }
          Set<String> up = ancestors.computeIfAbsent(c, id -> graph.reach(id, true, -1));
          if (up.containsAll(parents) && !child.gates.contains(t.node.id())) {
            child.gates.add(t.node.id());
            wait(child, t.node.id());
          }
        }
      }
    }
  }

  private static void tell(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("a models listener failed: {}", e.getClass().getName());
    }
  }

  private static String where(Throwable e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length == 0 ? "?" : trace[0].toString();
  }
}
