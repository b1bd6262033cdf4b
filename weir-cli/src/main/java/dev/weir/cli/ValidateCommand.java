package dev.weir.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.WeirException;
import dev.weir.config.ProjectConfig;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.FlowParser;
import dev.weir.flow.Problem;
import dev.weir.flow.SubflowCycles;
import dev.weir.task.TaskRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    description = "Check flow files (or every .yaml in folders) without running them.")
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Flow files or folders.")
  List<Path> paths;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"files\": [{file, valid, problems, warnings}], \"valid\", \"invalid\","
              + " \"warnings\"}.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Path first = paths.get(0);
    TaskRegistry registry =
        TaskTypes.load(Surroundings.of(spec), Files.isDirectory(first) ? first : first.getParent());
    var parser = new FlowParser(registry);
    var report = JsonOut.MAPPER.createObjectNode();
    var reported = report.putArray("files");
    int bad = 0;
    int good = 0;
    int warnings = 0;
    if (!json) {
      TaskTypes.warnSkipped(registry, err);
    }
    var results = new ArrayList<Result>();
    var flows = new ArrayList<Flow>();
    for (Path f : files()) {
      Result r = check(parser, f);
      results.add(r);
      if (r.flow() != null) {
        flows.add(r.flow());
      }
    }
    // a cycle of subflows shows only across files: reported at the task that closes it
    for (SubflowCycles.Cycle c : SubflowCycles.find(flows)) {
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i).flow() == c.flow()) {
          results.set(i, results.get(i).with(c.problem()));
        }
      }
    }
    for (Result r : results) {
      Path f = r.file();
      List<Problem> problems = r.problems();
      List<Problem> warned = r.warned();
      String unreadable = r.unreadable();
      if (problems.isEmpty() && unreadable == null) {
        good++;
        warnings += warned.size();
      } else {
        bad++;
      }
      if (json) {
        reported.add(toJson(f, problems, unreadable, warned));
      } else if (problems.isEmpty() && unreadable == null) {
        out.println("ok       " + f);
        // a warning does not fail validation: the flow runs, but should not be written so
        warned.forEach(w -> err.println("  " + w));
      } else {
        err.println("invalid  " + f);
        problems.forEach(p -> err.println("  " + p));
        if (unreadable != null) {
          err.println("  " + unreadable);
        }
      }
    }
    if (json) {
      report.put("valid", good);
      report.put("invalid", bad);
      report.put("warnings", warnings);
      var skipped = report.putArray("skippedPlugins");
      registry
          .plugins()
          .skipped()
          .forEach(
              j -> skipped.addObject().put("jar", j.jar().toString()).put("reason", j.reason()));
      JsonOut.print(out, report);
    } else {
      out.printf(
          "%d valid, %d invalid%s%n",
          good,
          bad,
          warnings == 0 ? "" : ", " + warnings + (warnings == 1 ? " warning" : " warnings"));
    }
    return bad == 0 ? 0 : Errors.USAGE;
  }

  /** One file checked: its flow when it is valid on its own. */
  private record Result(
      Path file, Flow flow, List<Problem> problems, List<Problem> warned, String unreadable) {
    Result with(Problem problem) {
      var all = new ArrayList<>(problems);
      all.add(problem);
      return new Result(file, flow, all, warned, unreadable);
    }
  }

  private static Result check(FlowParser parser, Path f) {
    try {
      FlowParser.Parsed parsed = parser.read(f);
      return new Result(f, parsed.flow(), List.of(), parsed.warnings(), null);
    } catch (FlowDefinitionException e) {
      return new Result(f, null, e.problems(), List.of(), null);
    } catch (WeirException e) {
      // a file that cannot be read (e.g. not UTF-8) is one invalid file, not the end of the run
      return new Result(f, null, List.of(), List.of(), e.getMessage());
    }
  }

  private static ObjectNode toJson(
      Path f, List<Problem> problems, String unreadable, List<Problem> warnings) {
    ObjectNode o = JsonOut.MAPPER.createObjectNode();
    o.put("file", f.toString());
    o.put("valid", problems.isEmpty() && unreadable == null);
    var array = o.putArray("problems");
    if (unreadable != null) {
      array.addObject().put("file", f.toString()).put("message", unreadable);
    }
    problems.forEach(p -> add(array, p));
    var warned = o.putArray("warnings");
    warnings.forEach(p -> add(warned, p));
    return o;
  }

  private static void add(com.fasterxml.jackson.databind.node.ArrayNode array, Problem p) {
    array
        .addObject()
        .put("file", p.location().file())
        .put("line", p.location().line())
        .put("column", p.location().column())
        .put("path", p.path())
        .put("message", p.message());
  }

  private List<Path> files() throws IOException {
    var out = new ArrayList<Path>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              .filter(f -> !f.getFileName().toString().equals(ProjectConfig.FILE_NAME))
              .filter(f -> !f.toString().contains("/.weir/"))
              .sorted()
              .forEach(out::add);
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new WeirException("no such file or folder: " + p.toAbsolutePath());
      }
    }
    return out;
  }
}
