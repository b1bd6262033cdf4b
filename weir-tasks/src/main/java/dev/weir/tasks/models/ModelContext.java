package dev.weir.tasks.models;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.weir.util.Suggest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dbt's template context for rendering one file: {@code ref}, {@code source}, {@code config},
 * {@code var}, {@code env_var}, {@code is_incremental}, {@code log}, {@code return}, and {@code
 * this}, {@code target}, {@code adapter}. Records the refs, sources and config the file asks for
 * (the first pass builds the DAG from them); {@code relations} turns a ref into a relation.
 */
final class ModelContext {
  private static final Logger LOG = LoggerFactory.getLogger("weir.models");

  /**
   * A {@code ref('name')} or {@code source('s', 't')} call, the line it is on, and how many {@code
   * log()} calls came before it (what a bad ref's error shows as said before it).
   */
  record Call(String name, int line, int logsBefore) {}

  /** Resolves a ref'd model name (at a line) to its relation. */
  interface Relations {
    Relation ref(String name, int line);

    Relation source(String source, String table, int line);
  }

  private final String file;
  private final CompileOptions options;
  private final Relations relations;
  private final Relation self;
  private final boolean incremental;
  private final Map<String, Object> projectVars;
  private final ReturningMacro.Returns returns;
  final RenderFailure failure = new RenderFailure();
  final List<Call> refs = new ArrayList<>();
  final List<Call> sources = new ArrayList<>();
  final Map<String, Object> config = new LinkedHashMap<>();
  int configLine; // of the first config() call; 0: none
  final List<CompiledModel.LogCall> logged = new ArrayList<>(); // log() calls, in order

  ModelContext(
      String file,
      CompileOptions options,
      Map<String, Object> projectVars,
      Relations relations,
      Relation self,
      boolean incremental,
      ReturningMacro.Returns returns) {
    this.file = file;
    this.options = options;
    this.projectVars = projectVars;
    this.relations = relations;
    this.self = self;
    this.incremental = incremental;
    this.returns = returns;
  }

  Map<String, Object> globals() {
    var g = new HashMap<String, Object>();
    g.put("this", self);
    g.put("target", options.target().asMap());
    g.put("adapter", new Adapter(options.target().dialect()));
    g.put("execute", true);
    g.put("flags", Map.of("FULL_REFRESH", options.fullRefresh()));
    g.put("project_name", options.projectName());
    return g;
  }

  List<DbtFunction> functions() {
    return List.of(
        new DbtFunction("ref", (a, kw) -> ref(a)),
        new DbtFunction("source", (a, kw) -> source(a)),
        new DbtFunction(
            "config",
            (a, kw) -> {
              if (configLine == 0) {
                configLine = line();
              }
              config.putAll(kw);
              return "";
            }),
        new DbtFunction("var", (a, kw) -> var(a)),
        new DbtFunction("env_var", (a, kw) -> envVar(a)),
        new DbtFunction("is_incremental", (a, kw) -> incremental),
        new DbtFunction(
            "log",
            (a, kw) -> {
              if (failedAlready()) { // dbt stops at the first error: nothing after it is said
                return "";
              }
              String message = a.isEmpty() ? "" : String.valueOf(a.get(0));
              LOG.debug("{}: {}", file, message);
              // dbt's second argument is info; a run shows these in the model's step log
              Object info =
                  kw.containsKey("info") ? kw.get("info") : a.size() > 1 ? a.get(1) : null;
              logged.add(new CompiledModel.LogCall(message, Boolean.TRUE.equals(info)));
              return "";
            }),
        new DbtFunction(
            "return",
            (a, kw) -> {
              if (!returns.set(a.isEmpty() ? null : a.get(0))) {
                throw fail("return() outside a macro; use it in a {% macro %} of macros/");
              }
              return "";
            }),
        unsupported("run_query", "it needs the database while compiling"),
        unsupported("statement", "it needs the database while compiling"),
        unsupported("load_result", "it needs the database while compiling"));
  }

  private DbtFunction unsupported(String name, String why) {
    return new DbtFunction(
        name,
        (a, kw) -> {
          throw fail(name + "() is not supported yet: " + why);
        });
  }

  private Object ref(List<Object> a) {
    if (a.isEmpty() || a.size() > 2) {
      throw fail(
          "ref() takes the model's name, e.g. ref('stg_orders') (or ref('package', 'model'))");
    }
    String name = String.valueOf(a.get(a.size() - 1));
    if (a.size() == 2 && !options.projectName().equals(String.valueOf(a.get(0)))) {
      throw fail(
          "ref('"
              + a.get(0)
              + "', '"
              + name
              + "'): models of other packages are not"
              + " supported; only this project's ('"
              + options.projectName()
              + "')");
    }
    refs.add(new Call(name, line(), logged.size()));
    try {
      return relations.ref(name, line());
    } catch (ModelsException e) {
      throw failure.record(e);
    }
  }

  private Object source(List<Object> a) {
    if (a.size() != 2) {
      throw fail(
          "source() takes the source's and the table's names, e.g. source('jaffle_raw', 'orders')");
    }
    String s = String.valueOf(a.get(0));
    String t = String.valueOf(a.get(1));
    sources.add(new Call(s + "." + t, line(), logged.size()));
    try {
      return relations.source(s, t, line());
    } catch (ModelsException e) {
      throw failure.record(e);
    }
  }

  private Object var(List<Object> a) {
    if (a.isEmpty()) {
      throw fail("var() takes the variable's name, e.g. var('start_date', '2020-01-01')");
    }
    String name = String.valueOf(a.get(0));
    if (options.vars().containsKey(name)) {
      return options.vars().get(name);
    }
    if (projectVars.containsKey(name)) {
      return projectVars.get(name);
    }
    if (a.size() > 1) {
      return a.get(1);
    }
    var known = new ArrayList<>(projectVars.keySet());
    known.addAll(options.vars().keySet());
    throw fail(
        "var('"
            + name
            + "') is not set"
            + Suggest.didYouMean(name, known)
            + "; set it under vars: in dbt_project.yml, pass it with --vars '{"
            + name
            + ": …}', or give a default: var('"
            + name
            + "', 'value')");
  }

  private Object envVar(List<Object> a) {
    if (a.isEmpty()) {
      throw fail("env_var() takes the variable's name, e.g. env_var('DBT_SCHEMA', 'main')");
    }
    String name = String.valueOf(a.get(0));
    if (name.startsWith("DBT_ENV_SECRET")) {
      throw fail(
          "env_var('"
              + name
              + "'): secret variables (DBT_ENV_SECRET_…) cannot be used in models, as in dbt:"
              + " their values would end up in the compiled SQL and its logs");
    }
    String v = options.env().apply(name);
    if (v != null) {
      return v;
    }
    if (a.size() > 1) {
      return a.get(1);
    }
    throw fail(
        "env_var('"
            + name
            + "'): the environment variable "
            + name
            + " is not set and no default is given; set it, or write env_var('"
            + name
            + "', 'default')");
  }

  /**
   * Whether the render has failed already: Jinjava goes on after an undefined name, a function's
   * exception or an unknown macro, but the render throws at its end.
   */
  private boolean failedAlready() {
    return failure.isSet()
        || JinjavaInterpreter.getCurrentMaybe().stream()
            .flatMap(i -> i.getErrors().stream())
            .anyMatch(e -> e.getSeverity() == TemplateError.ErrorType.FATAL);
  }

  private int line() {
    return JinjavaInterpreter.getCurrentMaybe().map(JinjavaInterpreter::getLineNumber).orElse(0);
  }

  ModelsException fail(String message) {
    ReturningMacro.Frame macro = returns.current();
    if (macro != null) {
      return failure.record(
          new ModelsException(
              macro.file,
              line(),
              "in macro " + macro.macro + "(), called from " + file + ": " + message));
    }
    return failure.record(new ModelsException(file, line(), message));
  }

  /** {@code adapter} in templates: only {@code adapter.quote}. */
  public static final class Adapter {
    private final Target.Dialect dialect;

    Adapter(Target.Dialect dialect) {
      this.dialect = dialect;
    }

    public String quote(String identifier) {
      return dialect.quote(identifier);
    }
  }

  /** Resolves names against a function (tests, the parse pass). */
  static Relations relations(Function<String, Relation> refs, Function<String, Relation> sources) {
    return new Relations() {
      @Override
      public Relation ref(String name, int line) {
        return refs.apply(name);
      }

      @Override
      public Relation source(String source, String table, int line) {
        return sources.apply(source + "." + table);
      }
    };
  }
}
