package dev.weir.tasks.models;

import dev.weir.util.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a dbt project's models in dbt's two passes. The first ({@link #parsed}) renders every
 * model to learn its {@code ref}s, {@code source}s and {@code config()}, from which {@link
 * GraphBuilder} builds the DAG; the second ({@link #compile}) renders a model with each ref
 * resolved to its relation ({@code "schema"."name"}) and its ephemeral parents inlined as CTEs. One
 * compiler per thread: rendering keeps per-call state (macro return values).
 */
public final class ModelCompiler {
  private final DbtProject project;
  private final CompileOptions options;
  private final DbtJinja jinja;
  private final GenericTestSql genericSql = new GenericTestSql();
  private final Map<String, ParsedModel> parsed = new LinkedHashMap<>();
  private final Map<String, SeedFile> seeds = new LinkedHashMap<>();
  private final Map<String, SourceTable> sources = new LinkedHashMap<>();
  private final Map<String, String> disabled = new LinkedHashMap<>();
  private ModelGraph graph;

  public ModelCompiler(DbtProject project, CompileOptions options) {
    this.project = project;
    this.options = options;
    this.jinja = new DbtJinja(project.macros());
    project.seeds().forEach(s -> seeds.put(s.name(), s));
    project.sources().forEach(s -> sources.put(s.qualifiedName(), s));
    for (ModelFile m : project.models()) {
      ParsedModel p = parse(m);
      if (p.config().isEnabled()) {
        parsed.put(m.name(), p);
      } else {
        disabled.put(m.name(), m.path());
      }
    }
    parsed.values().forEach(this::checkCalls);
  }

  public DbtProject project() {
    return project;
  }

  /** The enabled models with what the first pass found, by name. */
  Map<String, ParsedModel> parsed() {
    return parsed;
  }

  /** The DAG of models, seeds, tests and sources (built once). */
  public ModelGraph graph() {
    if (graph == null) {
      graph = new GraphBuilder(this).build();
    }
    return graph;
  }

  /**
   * The compiled SQL of the model named {@code name}.
   *
   * @throws ModelsException if it does not compile, with what its {@code log()} calls said before
   */
  public CompiledModel compile(String name) {
    ParsedModel p = parsed.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no enabled model named '" + name + "'");
    }
    graph(); // refuses cycles before ephemeral models are inlined into each other
    var ctes = new LinkedHashMap<String, EphemeralCtes.Cte>();
    var ctx = context(p, ctes);
    String sql;
    try {
      sql =
          jinja.render(
              p.model().path(), p.model().sql(), ctx.globals(), ctx.functions(), ctx.failure);
    } catch (ModelsException e) {
      throw e.withLogged(ctx.logged); // for the model's step log, before the error
    }
    return new CompiledModel(
        p.model(),
        p.config(),
        relation(p),
        EphemeralCtes.inject(sql, new ArrayList<>(ctes.values())),
        ctx.logged);
  }

  /** A singular test's SQL with its refs resolved. */
  public String compileTest(SingularTest test) {
    var ctes = new LinkedHashMap<String, EphemeralCtes.Cte>();
    var ctx = context(test.path(), null, false, ctes);
    String sql = jinja.render(test.path(), test.sql(), ctx.globals(), ctx.functions(), ctx.failure);
    return EphemeralCtes.inject(sql, new ArrayList<>(ctes.values()));
  }

  /** The query of the test named {@code name} (generic or singular), or null if none is. */
  public String compileTestNamed(String name) {
    for (GenericTest t : project.genericTests()) {
      if (t.name().equals(name)) {
        return compileTest(t);
      }
    }
    for (SingularTest t : project.singularTests()) {
      if (t.name().equals(name)) {
        return compileTest(t);
      }
    }
    return null;
  }

  /** A generic test's query: the rows that fail it. */
  public String compileTest(GenericTest t) {
    Relation tested;
    if (t.model() != null) {
      ParsedModel p = parsed.get(t.model());
      tested = p != null ? relation(p) : seedRelation(seeds.get(t.model()));
      if (tested.isCte()) {
        throw new ModelsException(
            t.location(),
            t.name()
                + ": tests on ephemeral models are not supported (an ephemeral model has no"
                + " table); test the models that ref it");
      }
    } else {
      tested = sourceRelation(sources.get(t.source()));
    }
    Relation to = null;
    if (t.kind() == GenericTest.Kind.RELATIONSHIPS) {
      String[] target = GenericTestSql.parseTo(String.valueOf(t.args().get("to")));
      if (target[0].equals("source")) {
        to = sourceRelation(sources.get(target[1] + "." + target[2]));
      } else {
        ParsedModel p = parsed.get(target[1]);
        to = p != null ? relation(p) : seedRelation(seeds.get(target[1]));
      }
    }
    var ctx = context(t.location().file(), null, false, new LinkedHashMap<>());
    var globals = ctx.globals();
    globals.putAll(GenericTestSql.variables(t, tested, to));
    return jinja.render(
        t.location().file(), genericSql.template(t.kind()), globals, ctx.functions(), ctx.failure);
  }

  /**
   * The relation a model, seed or source node of the graph is (a CTE for an ephemeral model), or
   * null for a test.
   */
  Relation relationOf(GraphNode n) {
    return switch (n.type()) {
      case MODEL -> relation(parsed.get(n.name()));
      case SEED -> seedRelation(seeds.get(n.name()));
      case SOURCE -> sourceRelation(sources.get(n.name()));
      case TEST -> null;
    };
  }

  private Relation sourceRelation(SourceTable t) {
    return new Relation(t.schema(), t.identifier(), options.target().dialect(), false);
  }

  /** Renders {@code p} in the second pass, adding the ephemeral models it needs to {@code ctes}. */
  private String render(ParsedModel p, Map<String, EphemeralCtes.Cte> ctes) {
    var ctx = context(p, ctes);
    return jinja.render(
        p.model().path(), p.model().sql(), ctx.globals(), ctx.functions(), ctx.failure);
  }

  private ModelContext context(ParsedModel p, Map<String, EphemeralCtes.Cte> ctes) {
    boolean incremental =
        options.incremental()
            && !options.fullRefresh()
            && "incremental".equals(p.config().materialized());
    return context(p.model().path(), relation(p), incremental, ctes);
  }

  private ModelContext context(
      String file, Relation self, boolean incremental, Map<String, EphemeralCtes.Cte> ctes) {
    var relations =
        new ModelContext.Relations() {
          @Override
          public Relation ref(String name, int line) {
            ParsedModel target = parsed.get(name);
            if (target == null) {
              SeedFile seed = seeds.get(name);
              if (seed == null) {
                throw new ModelsException(file, line, unknownRef(name));
              }
              return seedRelation(seed);
            }
            if (target.config().materializedOrDefault().equals("ephemeral")) {
              if (!ctes.containsKey(name)) {
                String sql = render(target, ctes); // its own ephemeral parents go first
                ctes.put(name, new EphemeralCtes.Cte(name, sql));
              }
              return Relation.cte(name);
            }
            return relation(target);
          }

          @Override
          public Relation source(String source, String table, int line) {
            SourceTable t = sources.get(source + "." + table);
            if (t == null) {
              throw new ModelsException(file, line, unknownSource(source, table));
            }
            return new Relation(t.schema(), t.identifier(), options.target().dialect(), false);
          }
        };
    return new ModelContext(
        file, options, project.vars(), relations, self, incremental, jinja.returns());
  }

  private ParsedModel parse(ModelFile m) {
    var placeholder =
        ModelContext.relations(
            n -> new Relation(options.target().schema(), n, options.target().dialect(), false),
            n ->
                new Relation(
                    n.substring(0, n.indexOf('.')),
                    n.substring(n.indexOf('.') + 1),
                    options.target().dialect(),
                    false));
    Relation self =
        new Relation(
            options.target().schemaFor(m.config().schema()),
            m.config().alias() != null ? m.config().alias() : m.name(),
            options.target().dialect(),
            false);
    var ctx =
        new ModelContext(
            m.path(), options, project.vars(), placeholder, self, false, jinja.returns());
    try {
      jinja.render(m.path(), m.sql(), ctx.globals(), ctx.functions(), ctx.failure);
    } catch (ModelsException e) {
      throw e.withLogged(ctx.logged); // the only pass this model has: what it said counts
    }
    NodeConfig c = m.config().with(NodeConfig.of(ctx.config));
    return new ParsedModel(
        m,
        c,
        List.copyOf(ctx.refs),
        List.copyOf(ctx.sources),
        Math.max(1, ctx.configLine),
        List.copyOf(ctx.logged));
  }

  /** Fails on a ref to an unknown or disabled model, or an unknown source, at its line. */
  private void checkCalls(ParsedModel p) {
    for (ModelContext.Call r : p.refs()) {
      if (!parsed.containsKey(r.name()) && !seeds.containsKey(r.name())) {
        throw new ModelsException(p.model().path(), r.line(), unknownRef(r.name()))
            .withLogged(p.loggedBefore(r));
      }
    }
    for (ModelContext.Call s : p.sources()) {
      if (!sources.containsKey(s.name())) {
        int dot = s.name().indexOf('.');
        throw new ModelsException(
                p.model().path(),
                s.line(),
                unknownSource(s.name().substring(0, dot), s.name().substring(dot + 1)))
            .withLogged(p.loggedBefore(s));
      }
    }
  }

  String unknownRef(String name) {
    if (disabled.containsKey(name)) {
      return "ref('"
          + name
          + "'): the model "
          + disabled.get(name)
          + " is disabled (enabled: false); enable it or remove the ref";
    }
    var known = new ArrayList<>(parsed.keySet());
    known.addAll(seeds.keySet());
    var close = Suggest.closest(name, known, 3);
    return "ref('"
        + name
        + "'): no model or seed named '"
        + name
        + "'"
        + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?")
        + " (a model is a .sql file under the model paths, a seed a .csv under the seed paths)";
  }

  private String unknownSource(String source, String table) {
    var close = Suggest.closest(source + "." + table, sources.keySet(), 3);
    return "source('"
        + source
        + "', '"
        + table
        + "'): no such source table"
        + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?")
        + " (declare it under sources: in a .yml file of the models folder)";
  }

  Relation relation(ParsedModel p) {
    if (p.config().materializedOrDefault().equals("ephemeral")) {
      return Relation.cte(p.model().name());
    }
    String alias = p.config().alias() != null ? p.config().alias() : p.model().name();
    return new Relation(
        options.target().schemaFor(p.config().schema()), alias, options.target().dialect(), false);
  }

  Relation seedRelation(SeedFile s) {
    String alias = s.config().alias() != null ? s.config().alias() : s.name();
    return new Relation(
        options.target().schemaFor(s.config().schema()), alias, options.target().dialect(), false);
  }

  /** Refs of a singular test (first pass), for the graph. */
  List<ModelContext.Call> testRefs(SingularTest t, List<ModelContext.Call> sourcesOut) {
    var placeholder =
        ModelContext.relations(
            n -> new Relation("s", n, options.target().dialect(), false),
            n -> new Relation("s", n, options.target().dialect(), false));
    var ctx =
        new ModelContext(
            t.path(), options, project.vars(), placeholder, null, false, jinja.returns());
    jinja.render(t.path(), t.sql(), ctx.globals(), ctx.functions(), ctx.failure);
    for (ModelContext.Call r : ctx.refs) {
      if (!parsed.containsKey(r.name()) && !seeds.containsKey(r.name())) {
        throw new ModelsException(t.path(), r.line(), unknownRef(r.name()));
      }
    }
    sourcesOut.addAll(ctx.sources);
    return ctx.refs;
  }
}
