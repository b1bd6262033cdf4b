package dev.weir.cli;

import dev.weir.util.Suggest;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A mistyped command ({@code weir rnu}, {@code weir runs lst}) names the closest real one instead
 * of picocli's "Unmatched argument at index 0" and a page of usage; other usage errors keep
 * picocli's handling.
 */
final class UnknownCommand implements IParameterExceptionHandler {
  private final IParameterExceptionHandler fallback;

  UnknownCommand(IParameterExceptionHandler fallback) {
    this.fallback = fallback;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) throws Exception {
    CommandLine cl = ex.getCommandLine();
    if (ex instanceof UnmatchedArgumentException u && expectsCommand(cl, u.getUnmatched())) {
      cl.getErr().println(message(cl, u.getUnmatched().get(0)));
      cl.getErr().flush();
      return Errors.USAGE;
    }
    return fallback.handleParseException(ex, args);
  }

  /** Only where a command takes subcommands and nothing else could have meant the word. */
  private static boolean expectsCommand(CommandLine cl, List<String> unmatched) {
    return !cl.getSubcommands().isEmpty()
        && cl.getCommandSpec().positionalParameters().isEmpty()
        && !unmatched.isEmpty()
        && !unmatched.get(0).startsWith("-");
  }

  static String message(CommandLine cl, String wrong) {
    String parent = qualified(cl);
    List<String> known =
        cl.getSubcommands().entrySet().stream()
            .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
            .map(java.util.Map.Entry::getKey)
            .toList();
    List<String> close = Suggest.closest(wrong, known, 1); // one clear guess, not a menu
    String first =
        "error: unknown command `"
            + parent
            + wrong
            + "`"
            + (close.isEmpty()
                ? "; the commands are: " + String.join(", ", known)
                : "; did you mean `" + parent + close.get(0) + "`?");
    return first
        + System.lineSeparator()
        + "Run `"
        + Watch.command()
        + " "
        + parent
        + "--help` to see every command.";
  }

  /** "runs " for {@code weir runs}, "" for the root. */
  private static String qualified(CommandLine cl) {
    String q = cl.getCommandSpec().qualifiedName(" ");
    String root = cl.getCommandSpec().root().name();
    return q.equals(root) ? "" : q.substring(root.length() + 1) + " ";
  }
}
