package dev.weir.cli;

import dev.weir.WeirException;
import dev.weir.config.ProjectConfig;
import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.FlowParser;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    description = "Check flow files (or every .yaml in folders) without running them.")
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Flow files or folders.")
  List<Path> paths;

  @Override
  public Integer call() throws IOException {
    var parser = new FlowParser(TaskRegistry.load());
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    int bad = 0;
    int good = 0;
    int warnings = 0;
    for (Path f : files()) {
      try {
        var parsed = parser.read(f);
        out.println("ok       " + f);
        good++;
        // a warning does not fail validation: the flow runs, but should not be written so
        parsed.warnings().forEach(w -> err.println("  " + w));
        warnings += parsed.warnings().size();
      } catch (FlowDefinitionException e) {
        bad++;
        err.println("invalid  " + f);
        e.problems().forEach(p -> err.println("  " + p));
      }
    }
    out.printf(
        "%d valid, %d invalid%s%n",
        good,
        bad,
        warnings == 0 ? "" : ", " + warnings + (warnings == 1 ? " warning" : " warnings"));
    return bad == 0 ? 0 : Errors.USAGE;
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
