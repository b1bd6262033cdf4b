package dev.weir.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Builds {@code weir}'s command tree for one command line. The subcommands are not in {@code
 * Main}'s {@code @Command(subcommands = …)}: picocli would then build the model of every one of
 * them (reflection over each option of each command) at every start, which was most of the time of
 * a short command. Here only the subcommands a command line names are built in full; the others are
 * stubs with the name and description that the usage, the did-you-mean and {@code help} need.
 */
final class CommandTree {
  /** The subcommands, in the order of the usage. */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          RunCommand.class,
          ValidateCommand.class,
          SchemaCommand.class,
          RunsCommand.class,
          LogsCommand.class,
          ResumeCommand.class,
          RetryCommand.class,
          DeadLettersCommand.class,
          ServerCommand.class,
          WorkerCommand.class,
          DeployCommand.class,
          FlowsCommand.class,
          BackfillCommand.class,
          BackfillsCommand.class,
          SqlCommand.class,
          ModelsCommand.class,
          GcCommand.class,
          PluginsCommand.class,
          CompletionCommand.class,
          InitCommand.class,
          CommandLine.HelpCommand.class);

  /** Commands that need every subcommand's model: the completion script lists all options. */
  private static final Set<String> NEEDS_ALL = Set.of("completion");

  private CommandTree() {}

  /** Runs a command line as if started in {@code surroundings} (tests: another cwd and home). */
  static int execute(Surroundings surroundings, PrintWriter out, PrintWriter err, String... args) {
    var cl = build(surroundings, args);
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

  /**
   * The tree for {@code args}: the root, the subcommands that {@code args} name (all of them when
   * {@code args} is null or asks for completion) in full, the others as stubs.
   */
  static CommandLine build(Surroundings surroundings, String[] args) {
    var root = new CommandLine(new Main(surroundings));
    Set<String> words = args == null ? Set.of() : new LinkedHashSet<>(Arrays.asList(args));
    boolean all = args == null || words.stream().anyMatch(NEEDS_ALL::contains);
    var version = root.getCommandSpec().versionProvider();
    for (Class<?> type : SUBCOMMANDS) {
      Command c = type.getAnnotation(Command.class);
      boolean named =
          words.contains(c.name()) || Arrays.stream(c.aliases()).anyMatch(words::contains);
      if (all || named) {
        root.addSubcommand(withStandardOptions(new CommandLine(type, root.getFactory()), version));
      } else {
        root.addSubcommand(c.name(), stub(c), c.aliases());
      }
    }
    // after the subcommands: picocli hands the provider to those the root has
    root.setDefaultValueProvider(new EnvironmentDefaults(surroundings));
    return root;
  }

  /** The whole tree, every subcommand in full (tests, completion). */
  static CommandLine full(Surroundings surroundings) {
    return build(surroundings, null);
  }

  /**
   * -h/--help and -V/--version on a command and its subcommands at any depth, so that {@code weir
   * run --help} prints the usage instead of complaining about a missing FLOW.yaml. (What picocli's
   * {@code scope = INHERIT} on the root did, but that also gave the stubs a help mixin each, built
   * by reflection at every start.)
   */
  private static CommandLine withStandardOptions(
      CommandLine cl, CommandLine.IVersionProvider version) {
    CommandSpec spec = cl.getCommandSpec();
    spec.versionProvider(version);
    spec.mixinStandardHelpOptions(true);
    cl.getSubcommands().values().stream()
        .distinct() // aliases map to the same command
        .forEach(sub -> withStandardOptions(sub, version));
    return cl;
  }

  /** A command that only shows its name and description; never run (it is not named). */
  private static CommandLine stub(Command c) {
    CommandSpec spec = CommandSpec.create().name(c.name());
    spec.usageMessage().description(c.description()).header(c.header()).hidden(c.hidden());
    return new CommandLine(spec);
  }
}
