package dev.weir.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code weir} command. Its subcommands are added by {@link CommandTree}, which builds in full
 * only the ones a command line names. (Few methods here on purpose: picocli reads the annotations
 * of every method of this class at every start.)
 */
@Command(
    name = "weir",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Weir: declarative ETL flows, run durably.")
public final class Main {
  private final Surroundings surroundings;

  Main(Surroundings surroundings) {
    this.surroundings = surroundings;
  }

  Surroundings surroundings() {
    return surroundings;
  }

  public static void main(String[] args) {
    System.exit(CommandTree.execute(Surroundings.current(), null, null, args));
  }

  /** Runs a command line and returns the exit code (for tests). */
  public static int execute(String... args) {
    return CommandTree.execute(Surroundings.current(), null, null, args);
  }

  /** Runs a command line writing to the given streams (null: the console). */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    return CommandTree.execute(Surroundings.current(), out, err, args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"weir " + dev.weir.BuildInfo.current().describe()};
    }
  }
}
