package dev.weir.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.weir.WeirException;
import dev.weir.tasks.models.CompileOptions;
import dev.weir.tasks.models.CompiledModel;
import dev.weir.tasks.models.DbtProject;
import dev.weir.tasks.models.GraphNode;
import dev.weir.tasks.models.ModelCompiler;
import dev.weir.tasks.models.ModelsException;
import dev.weir.tasks.models.Selector;
import dev.weir.tasks.models.Target;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "models",
    description = "A dbt project's models: compile their SQL, list the selected nodes.",
    subcommands = {ModelsCommand.Compile.class, ModelsCommand.Ls.class})
final class ModelsCommand {
  /** What both subcommands take: the project, the selection, the target and vars. */
  static final class ProjectOptions {
    @Parameters(
        index = "0",
        paramLabel = "PATH",
        description = "The dbt project's folder (with dbt_project.yml).")
    Path path;

    @Option(
        names = {"-s", "--select"},
        paramLabel = "SELECTOR",
        arity = "1..*",
        description =
            "dbt selection: orders, +orders, orders+, 2+orders, stg_*, tag:daily,"
                + " path:models/staging, config.materialized:view; spaces unite, commas intersect.")
    List<String> select;

    @Option(
        names = "--exclude",
        paramLabel = "SELECTOR",
        arity = "1..*",
        description = "Nodes to leave out, in the same syntax.")
    List<String> exclude;

    @Option(
        names = "--target-schema",
        paramLabel = "SCHEMA",
        defaultValue = "main",
        description = "The schema models are built in (target.schema; default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(
        names = "--dialect",
        paramLabel = "DB",
        defaultValue = "duckdb",
        description = "duckdb or postgres (target.type; default: ${DEFAULT-VALUE}).")
    String dialect;

    @Option(
        names = "--vars",
        paramLabel = "YAML",
        description =
            "Vars as YAML or JSON, e.g. '{start_date: 2024-01-01}'; they win over dbt_project.yml's.")
    String vars;

    ModelCompiler compiler() {
      DbtProject project = DbtProject.load(path);
      Target.Dialect d;
      try {
        d = Target.Dialect.of(dialect);
      } catch (IllegalArgumentException e) {
        throw new WeirException("--dialect: " + e.getMessage());
      }
      var options =
          CompileOptions.defaults(project)
              .withTarget(new Target("dev", schema, d))
              .withVars(parseVars());
      return new ModelCompiler(project, options);
    }

    List<GraphNode> selected(ModelCompiler c) {
      try {
        return new Selector(c.graph()).select(join(select), join(exclude));
      } catch (IllegalArgumentException e) {
        throw new WeirException("--select/--exclude: " + e.getMessage());
      }
    }

    private static String join(List<String> parts) {
      return parts == null ? null : String.join(" ", parts);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parseVars() {
      if (vars == null || vars.isBlank()) {
        return Map.of();
      }
      try {
        Object v = new ObjectMapper(new YAMLFactory()).readValue(vars, Object.class);
        if (v instanceof Map<?, ?> m) {
          return (Map<String, Object>) m;
        }
      } catch (JsonProcessingException e) {
        throw new WeirException(
            "--vars: not YAML: "
                + e.getOriginalMessage()
                + "; give a mapping, e.g. --vars '{start_date: 2024-01-01}'");
      }
      throw new WeirException("--vars: give a mapping, e.g. --vars '{start_date: 2024-01-01}'");
    }
  }

  @Command(name = "compile", description = "Print the compiled SQL of the selected models.")
  static final class Compile implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectOptions project;

    @Option(
        names = "--tests",
        description = "Also print the selected tests' queries (the rows that fail them).")
    boolean tests;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ModelCompiler c;
      try {
        c = project.compiler();
      } catch (ModelsException e) { // a model that does not render: what it said before the error
        said(null, e.logged());
        throw e;
      }
      int n = 0;
      int t = 0;
      for (GraphNode node : project.selected(c)) {
        if (node.type() == GraphNode.Type.TEST && tests) {
          out.printf("-- test %s: %s%n", node.name(), node.path());
          out.println(c.compileTestNamed(node.name()).strip());
          out.println();
          t++;
        }
        if (node.type() != GraphNode.Type.MODEL) {
          continue;
        }
        CompiledModel m;
        try {
          m = c.compile(node.name());
        } catch (ModelsException e) {
          said(node.name(), e.logged());
          throw e;
        }
        said(node.name(), m.logged());
        out.printf(
            "-- %s: %s (%s%s)%n",
            node.name(),
            m.model().path(),
            m.config().materializedOrDefault(),
            node.isEphemeral() ? ", inlined where it is ref'd" : " → " + m.relation());
        out.println(m.sql().strip());
        out.println();
        n++;
      }
      spec.commandLine()
          .getErr()
          .printf(
              "%d model%s%s compiled%n",
              n, n == 1 ? "" : "s", tests ? " and " + t + " test" + (t == 1 ? "" : "s") : "");
      out.flush();
      return 0;
    }

    /**
     * Prints the {@code log(..., info=True)} messages to stderr, as dbt does while it compiles,
     * each after the model's name ({@code model}; null: the error that follows names its file).
     */
    private void said(String model, List<CompiledModel.LogCall> calls) {
      for (CompiledModel.LogCall call : calls) {
        if (call.info()) {
          spec.commandLine()
              .getErr()
              .println(model == null ? call.message() : model + ": " + call.message());
        }
      }
    }
  }

  @Command(
      name = "ls",
      description = "List the selected models, seeds, tests and sources in DAG order.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ProjectOptions project;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      ModelCompiler c = project.compiler();
      List<GraphNode> nodes = project.selected(c);
      int width = nodes.stream().mapToInt(n -> n.name().length()).max().orElse(4);
      for (GraphNode n : nodes) {
        String kind =
            switch (n.type()) {
              case MODEL -> n.materialized();
              case SEED -> "seed";
              case TEST -> "test";
              case SOURCE -> "source";
            };
        out.printf(
            "%-6s  %-" + width + "s  %-11s  %s%n", n.type().dbtName(), n.name(), kind, n.path());
      }
      out.flush();
      return 0;
    }
  }
}
