package dev.weir.bench;

import dev.weir.tasks.models.CompileOptions;
import dev.weir.tasks.models.DbtProject;
import dev.weir.tasks.models.GraphNode;
import dev.weir.tasks.models.ModelCompiler;
import dev.weir.tasks.models.Target;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A project's nodes compiled by Weir's library (as {@code weir models compile} does), to be run as
 * the plainest statements with no Weir in the path: the SQL's own time, {@link ModelsBench}'s
 * baseline.
 */
final class CompiledNodes {
  /** One statement to run; {@code query}: its result is read (a test's count). */
  record Step(String node, String sql, boolean query) {}

  private final List<Step> statements;
  private final String schema;

  private CompiledNodes(List<Step> statements, String schema) {
    this.statements = statements;
    this.schema = schema;
  }

  /** Compile options for a DuckDB target of {@code schema}, as the task builds them. */
  static CompileOptions options(DbtProject project, String schema) {
    return CompileOptions.defaults(project)
        .withTarget(new Target("dev", schema, Target.Dialect.DUCKDB));
  }

  /** Every node of {@code project} in DAG order: seeds, built models, tests. */
  static CompiledNodes of(DbtProject project, String schema) {
    var compiler = new ModelCompiler(project, options(project, schema));
    var out = new ArrayList<Step>();
    String q = Target.Dialect.DUCKDB.quote(schema);
    for (GraphNode n : compiler.graph().inOrder()) {
      switch (n.type()) {
        case SEED -> {
          Path csv = project.root().resolve(n.path());
          out.add(
              new Step(
                  n.name(),
                  "create table "
                      + q
                      + "."
                      + Target.Dialect.DUCKDB.quote(n.name())
                      + " as select * from read_csv('"
                      + csv.toString().replace("'", "''")
                      + "', header = true)",
                  false));
        }
        case MODEL -> {
          if (n.isEphemeral()) {
            continue;
          }
          var m = compiler.compile(n.name());
          String kind = "view".equals(n.materialized()) ? "view " : "table ";
          out.add(new Step(n.name(), "create " + kind + m.relation() + " as\n" + m.sql(), false));
        }
        case TEST ->
            out.add(
                new Step(
                    n.name(),
                    "select count(*) from (\n" + compiler.compileTestNamed(n.name()) + "\n) as f",
                    true));
        case SOURCE -> {}
      }
    }
    return new CompiledNodes(out, schema);
  }

  int size() {
    return statements.size();
  }

  /**
   * Runs every statement on a fresh DuckDB file over one connection; nanoseconds from opening the
   * connection to the last statement's end. Fails if a test finds failing rows.
   */
  long run(Path file) throws SQLException {
    return run(file, c -> c);
  }

  /** {@link #run(Path)} with the connection wrapped by {@code wrap} (e.g. to time statements). */
  long run(Path file, java.util.function.UnaryOperator<Connection> wrap) throws SQLException {
    long t0 = System.nanoTime();
    try (Connection c = wrap.apply(DriverManager.getConnection("jdbc:duckdb:" + file));
        Statement st = c.createStatement()) {
      st.execute("create schema " + Target.Dialect.DUCKDB.quote(schema));
      for (Step s : statements) {
        try {
          if (s.query()) {
            try (var rs = st.executeQuery(s.sql())) {
              rs.next();
              if (rs.getLong(1) != 0) {
                throw new IllegalStateException(
                    "baseline: test " + s.node() + " found " + rs.getLong(1) + " failing rows");
              }
            }
          } else {
            st.execute(s.sql());
          }
        } catch (SQLException e) {
          throw new SQLException(
              "baseline: " + s.node() + ": " + e.getMessage() + "\n" + s.sql(), e);
        }
      }
    }
    return System.nanoTime() - t0;
  }
}
