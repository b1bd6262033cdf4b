package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTest {
  /** Every command path (e.g. [runs, list]), walked from the model so new commands are covered. */
  static List<List<String>> commandPaths() {
    var paths = new ArrayList<List<String>>();
    walk(CommandTree.full(Surroundings.current()), List.of(), paths);
    return paths;
  }

  private static void walk(CommandLine cl, List<String> path, List<List<String>> into) {
    into.add(path);
    cl.getSubcommands()
        .forEach((name, sub) -> {
          if (sub.getCommandName().equals(name)) { // skip aliases
            var next = new ArrayList<>(path);
            next.add(name);
            walk(sub, List.copyOf(next), into);
          }
        });
  }

  @Test
  void every_command_and_subcommand_prints_its_usage_for_help_and_h() {
    List<List<String>> paths = commandPaths();
    assertThat(paths).contains(List.of("run"), List.of("server"), List.of("runs", "list"));
    for (List<String> path : paths) {
      for (String flag : List.of("--help", "-h")) {
        var args = new ArrayList<>(path);
        args.add(flag);
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        String usage = "Usage: weir" + (path.isEmpty() ? "" : " " + String.join(" ", path));
        assertThat(r.exit()).as("exit of weir %s", args).isZero();
        assertThat(r.out()).as("output of weir %s", args).contains(usage);
        assertThat(r.err()).as("errors of weir %s", args).isEmpty();
      }
    }
  }

  @Test
  void run_help_no_longer_asks_for_the_flow_file() {
    Cli.Result r = Cli.run("run", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .startsWith("Usage: weir run [-hV]")
        .contains("FLOW.yaml", "The flow file to run.")
        .doesNotContain("Missing required parameter");
  }

  @Test
  void server_help_is_not_an_unknown_option() {
    Cli.Result r = Cli.run("server", "-h");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("Usage: weir server [-hV]").contains("--port=N");
    assertThat(r.err()).doesNotContain("Unknown option");
  }

  @Test
  void only_the_named_command_is_built_in_full_and_the_usage_still_lists_every_command() {
    CommandLine tree =
        CommandTree.build(Surroundings.current(), new String[] {"validate", "x.yaml"});
    assertThat(tree.getSubcommands().get("validate").getCommandSpec().options()).isNotEmpty();
    assertThat(tree.getSubcommands().get("run").getCommandSpec().options())
        .as("a stub: no reflection over RunCommand's options at this start")
        .isEmpty();

    String usage = Cli.run("--help").out();
    for (Class<?> type : CommandTree.SUBCOMMANDS) {
      CommandLine.Command c = type.getAnnotation(CommandLine.Command.class);
      String summary =
          (c.header().length > 0 ? c.header() : c.description())[0]; // as picocli lists
      assertThat(usage).contains(c.name()).contains(summary.substring(0, 20));
    }
  }
}
