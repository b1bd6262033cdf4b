package dev.weir.tasks.models;

import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one node on the current thread's connection: loads a seed, materializes a model, or runs a
 * test's query and counts its failing rows. Called from several worker threads at once: compiling
 * is serialized (a compiler keeps per-render state), the SQL runs on each thread's own connection.
 */
final class NodeExecutor {
  private final ModelCompiler compiler;
  private final CompileOptions options;
  private final Lineage lineage;
  private final Map<String, GenericTest.Severity> severities = new HashMap<>();
  private ModelCompiler incremental; // guarded by compiler

  NodeExecutor(ModelCompiler compiler, CompileOptions options) {
    this.compiler = compiler;
    this.options = options;
    this.lineage = new Lineage(compiler);
    compiler.project().genericTests().forEach(g -> severities.put(g.name(), g.severity()));
  }

  /** Whether {@code t} (a test) fails with an error, rather than a warning, when it finds rows. */
  boolean errorSeverity(GraphNode t) {
    return severities.getOrDefault(t.name(), GenericTest.Severity.ERROR)
        == GenericTest.Severity.ERROR;
  }

  NodeResult run(GraphNode n, Relations on) {
    return n.type() == GraphNode.Type.TEST ? test(n, on) : node(n, on);
  }

  NodeResult skipped(GraphNode n, String why) {
    return result(n, NodeResult.Status.SKIPPED, 0, Duration.ZERO, "", why);
  }

  /** Failed before it could run (no connection, an unexpected exception). */
  NodeResult failed(GraphNode n, long start, String why) {
    return result(n, NodeResult.Status.ERROR, 0, since(start), "", n.path() + ": " + why);
  }

  private NodeResult node(GraphNode n, Relations on) {
    long start = System.nanoTime();
    try {
      if (n.type() == GraphNode.Type.SEED) {
        SeedFile seed = seed(n.name());
        String schema = options.target().schemaFor(seed.config().schema());
        String name = seed.config().alias() == null ? seed.name() : seed.config().alias();
        long rows =
            new SeedLoader(on)
                .load(seed, compiler.project().root().resolve(seed.path()), schema, name);
        return result(n, NodeResult.Status.SUCCESS, rows, since(start), "", null);
      }
      if (n.isEphemeral()) {
        return result(n, NodeResult.Status.SUCCESS, 0, since(start), "", null);
      }
      return model(n, on, start);
    } catch (ModelsException e) {
      return result(n, NodeResult.Status.ERROR, 0, since(start), "", e.getMessage());
    } catch (SQLException | UncheckedIOException e) {
      return result(
          n, NodeResult.Status.ERROR, 0, since(start), "", n.path() + ": " + e.getMessage());
    }
  }

  private NodeResult model(GraphNode n, Relations on, long start) {
    List<CompiledModel.LogCall> said = List.of(); // by the compile that counts, once it ended
    try {
      CompiledModel m;
      synchronized (compiler) {
        m = compiler.compile(n.name());
      }
      said = m.logged();
      var mat = new Materializer(on);
      Incremental.Strategy strategy = strategy(n, m);
      boolean incrementally = strategy != null && !options.fullRefresh() && mat.exists(m);
      if (incrementally) {
        said = List.of(); // the incremental compile is the one that counts, even if it fails
        synchronized (compiler) {
          if (incremental == null) {
            incremental = new ModelCompiler(compiler.project(), options.withIncremental(true));
          }
          m = incremental.compile(n.name());
        }
        said = m.logged();
      }
      return build(n, mat, m, strategy, incrementally, start).withLogged(said);
    } catch (ModelsException e) { // a compile's failure carries what it said before it
      return result(n, NodeResult.Status.ERROR, 0, since(start), "", e.getMessage())
          .withLogged(concat(said, e.logged()));
    } catch (SQLException | UncheckedIOException e) {
      return result(
              n, NodeResult.Status.ERROR, 0, since(start), "", n.path() + ": " + e.getMessage())
          .withLogged(said);
    }
  }

  private NodeResult build(
      GraphNode n,
      Materializer mat,
      CompiledModel built,
      Incremental.Strategy strategy,
      boolean incrementally,
      long start) {
    try {
      Materializer.Built b =
          switch (n.materialized()) {
            case "view" -> mat.view(built);
            case "table" -> mat.table(built);
            case "incremental" ->
                incrementally ? mat.incremental(built, strategy) : mat.table(built, strategy);
            default ->
                throw new ModelsException(
                    n.path(),
                    0,
                    "materialized='"
                        + n.materialized()
                        + "' is not supported; use view, table, incremental or ephemeral");
          };
      return result(n, NodeResult.Status.SUCCESS, b.rows(), since(start), built.sql(), null);
    } catch (SQLException e) {
      String stmt = mat.lastStatement();
      return result(
          n,
          NodeResult.Status.ERROR,
          0,
          since(start),
          built.sql(),
          SqlFailure.describe(built.model(), built.sql(), stmt, 1, e));
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() ? b : a;
    }
    var all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** An incremental model's strategy, checked before anything is built; null for the others. */
  private Incremental.Strategy strategy(GraphNode n, CompiledModel m) {
    if (!"incremental".equals(n.materialized())) {
      return null;
    }
    int line;
    synchronized (compiler) {
      line = compiler.parsed().get(n.name()).configLine();
    }
    return Incremental.Strategy.of(m, line);
  }

  private NodeResult test(GraphNode t, Relations on) {
    long start = System.nanoTime();
    String sql = "";
    try {
      synchronized (compiler) {
        sql = compiler.compileTestNamed(t.name());
      }
      long failing = on.count("(\n" + sql + "\n) as failing_rows");
      NodeResult.Status s =
          failing == 0
              ? NodeResult.Status.SUCCESS
              : errorSeverity(t) ? NodeResult.Status.ERROR : NodeResult.Status.WARN;
      String msg = failing == 0 ? null : t.name() + ": " + failing + " failing rows";
      return result(t, s, failing, since(start), sql, msg);
    } catch (ModelsException | SQLException e) {
      return result(
          t, NodeResult.Status.ERROR, 0, since(start), sql, t.path() + ": " + e.getMessage());
    }
  }

  private SeedFile seed(String name) {
    return compiler.project().seeds().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private NodeResult result(
      GraphNode n, NodeResult.Status s, long rows, Duration took, String sql, String msg) {
    return new NodeResult(describe(n), s, rows, took, sql, msg, List.of());
  }

  private NodeResult.Node describe(GraphNode n) {
    boolean test = n.type() == GraphNode.Type.TEST;
    return new NodeResult.Node(
        n.id(),
        n.type(),
        n.name(),
        n.materialized(),
        lineage.written(n),
        lineage.read(n),
        test ? (errorSeverity(n) ? "error" : "warn") : null);
  }
}
