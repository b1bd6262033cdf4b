package dev.weir.cli;

import dev.weir.WeirException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "init",
    description =
        "Start a project: weir.yaml, a first flow with its data in flows/, and a .gitignore for"
            + " the .weir state directory.")
final class InitCommand implements Callable<Integer> {
  /** What init writes: the template resource (in dev/weir/cli/init/) and where it goes. */
  private record Template(String resource, String target, String what) {}

  private static final List<Template> FILES =
      List.of(
          new Template("weir.yaml", "weir.yaml", "project settings (connections)"),
          new Template(
              "hello.yaml",
              "flows/hello.yaml",
              "a first flow: read a CSV, keep paid orders, check"),
          new Template("orders.csv", "flows/data/orders.csv", "its data"));

  private static final String IGNORED = ".weir/";

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      description = "Where to create the project (default: the current directory).")
  Path dir = Path.of(".");

  @Override
  public Integer call() throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    refuseToOverwrite(root);
    String namespace = namespace(root);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Created a Weir project in " + dir + ":");
    for (Template t : FILES) {
      Path target = root.resolve(t.target());
      Files.createDirectories(target.getParent());
      Files.writeString(
          target,
          template(t.resource()).replace("__NAMESPACE__", namespace),
          StandardCharsets.UTF_8);
      out.printf(Locale.ROOT, "  %-22s %s%n", t.target(), t.what());
    }
    out.printf(Locale.ROOT, "  %-22s %s%n", ".gitignore", ignore(root.resolve(".gitignore")));
    out.println();
    // From here, not after a `cd`: the launcher may be ./weir, which is not in the new project.
    out.println("Run its flow:");
    out.println("  " + Watch.command() + " run " + dir.resolve("flows/hello.yaml").normalize());
    out.flush();
    return 0;
  }

  /** Nothing is written unless every file can be: a half-made project helps nobody. */
  private static void refuseToOverwrite(Path root) {
    List<String> existing = new ArrayList<>();
    for (Template t : FILES) {
      if (Files.exists(root.resolve(t.target()))) {
        existing.add(t.target());
      }
    }
    if (!existing.isEmpty()) {
      throw new WeirException(
          "cannot init a project in "
              + root
              + ": "
              + String.join(", ", existing)
              + (existing.size() == 1 ? " already exists" : " already exist")
              + "; weir init never overwrites files: choose another directory, e.g. `"
              + Watch.command()
              + " init my-project`");
    }
  }

  /** Adds {@code .weir/} to a .gitignore, creating it if needed; an existing one is kept. */
  private static String ignore(Path gitignore) throws IOException {
    if (!Files.exists(gitignore)) {
      Files.writeString(gitignore, template("gitignore"), StandardCharsets.UTF_8);
      return "keeps " + IGNORED + " (runs and staged data) out of git";
    }
    String text = Files.readString(gitignore);
    if (text.lines().map(String::strip).anyMatch(l -> l.equals(IGNORED) || l.equals(".weir"))) {
      return "already ignores " + IGNORED;
    }
    String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
    Files.writeString(gitignore, text + sep + IGNORED + "\n", StandardCharsets.UTF_8);
    return "added " + IGNORED + " to the existing file";
  }

  /** The directory's name as a flow namespace ([a-z0-9_-]), e.g. "My Shop" → my_shop. */
  static String namespace(Path root) {
    Path name = root.getFileName();
    String n =
        name == null
            ? ""
            : name.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "_");
    n = n.replaceAll("^[_-]+|[_-]+$", "");
    return n.isEmpty() ? "project" : n;
  }

  private static String template(String name) throws IOException {
    try (InputStream in = InitCommand.class.getResourceAsStream("init/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the template init/" + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
