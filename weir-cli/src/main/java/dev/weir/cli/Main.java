package dev.weir.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weir} command. */
@Command(
    name = "weir",
    mixinStandardHelpOptions = true,
    // INHERIT gives every subcommand, at any depth, -h/--help (and -V/--version), so that
    // `weir run --help` prints the usage instead of complaining about a missing FLOW.yaml.
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Main.Version.class,
    description = "Weir: declarative ETL flows, run durably.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      RunsCommand.class,
      LogsCommand.class,
      ResumeCommand.class,
      RetryCommand.class,
      ServerCommand.class,
      DeployCommand.class,
      FlowsCommand.class,
      BackfillCommand.class,
      BackfillsCommand.class,
      SqlCommand.class,
      GcCommand.class,
      CompletionCommand.class,
      InitCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  private final Surroundings surroundings;

  Main(Surroundings surroundings) {
    this.surroundings = surroundings;
  }

  Surroundings surroundings() {
    return surroundings;
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    return execute(null, null, args);
  }

  /** Runs a command line writing to the given streams (null: the console). */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return execute(Surroundings.current(), out, err, args);
  }

  /** Runs a command line as if started in {@code surroundings} (tests: another cwd and home). */
  static int execute(
      Surroundings surroundings, java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    var cl = new CommandLine(new Main(surroundings));
    cl.setExecutionExceptionHandler(new Errors());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(new UnknownCommand(cl.getParameterExceptionHandler()));
    if (out != null) {
      cl.setOut(out);
    }
    if (err != null) {
      cl.setErr(err);
    }
    return cl.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"weir " + dev.weir.BuildInfo.current().describe()};
    }
  }
}
