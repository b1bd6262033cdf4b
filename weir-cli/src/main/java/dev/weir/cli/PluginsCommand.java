package dev.weir.cli;

import dev.weir.task.TaskType;
import dev.weir.task.plugin.PluginDir;
import dev.weir.task.plugin.PluginJar;
import dev.weir.task.plugin.Plugins;
import dev.weir.task.plugin.SkippedJar;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "plugins",
    description =
        "List the plugin jars: where they were looked for, the task types of each one loaded, and"
            + " the ones skipped with why.")
final class PluginsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "DIR",
      description = "Look for the project (its weir.yaml) from here (default: the current folder).")
  Path dir;

  @Option(
      names = "--json",
      description =
          "Print JSON: {\"dirs\": [{path, origin, exists}], \"loaded\": [{jar, from, types:"
              + " [{name, class, config}]}], \"skipped\": [{jar, reason}]}.")
  boolean json;

  @Override
  public Integer call() {
    Plugins plugins = TaskTypes.load(Surroundings.of(spec), dir).plugins();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOut.print(out, JsonOut.MAPPER.valueToTree(plugins.toMap()));
    } else {
      print(plugins, out);
    }
    // like validate: a jar that did not load is something to fix, and scripts can check for it
    return plugins.skipped().isEmpty() ? 0 : Errors.FAILED;
  }

  private static void print(Plugins plugins, PrintWriter out) {
    if (plugins.dirs().isEmpty()) {
      out.println(
          "No plugin folders: put plugin jars in plugins/ beside the project's weir.yaml, or list"
              + " folders or jars in $WEIR_PLUGINS (docs/plugins.md).");
      out.flush();
      return;
    }
    out.println("Plugin folders, in the order searched (the first jar to name a type wins):");
    for (PluginDir d : plugins.dirs()) {
      out.println("  " + d.path() + "  (" + d.origin() + (d.exists() ? "" : "; absent") + ")");
    }
    out.println();
    if (plugins.loaded().isEmpty()) {
      out.println("Loaded: none");
    } else {
      out.println("Loaded:");
      int width =
          plugins.loaded().stream()
              .flatMap(j -> j.types().stream())
              .mapToInt(t -> t.name().length())
              .max()
              .orElse(4);
      for (PluginJar j : plugins.loaded()) {
        out.println("  " + j.jar());
        for (TaskType<?> t : j.types()) {
          out.printf("    %-" + width + "s  %s%n", t.name(), t.getClass().getName());
        }
      }
    }
    if (!plugins.skipped().isEmpty()) {
      out.println();
      out.println("Skipped:");
      for (SkippedJar s : plugins.skipped()) {
        out.println("  " + s.jar());
        out.println("    " + s.reason());
      }
    }
    out.println();
    long types = plugins.loaded().stream().mapToLong(j -> j.types().size()).sum();
    out.printf(
        "%d loaded (%d task %s), %d skipped%n",
        plugins.loaded().size(), types, types == 1 ? "type" : "types", plugins.skipped().size());
    out.flush();
  }
}
