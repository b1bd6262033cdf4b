package dev.weir.cli;

import dev.weir.WeirException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Prints Weir errors and expected environment failures as plain messages; anything else is a bug.
 * The console never shows a stack trace: it goes to {@link CliLog}'s file, at DEBUG for the
 * expected failures and at ERROR for bugs.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
  static final int FAILED = 1;
  static final int USAGE = 2;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    String command = cl.getCommandSpec().qualifiedName();
    String message =
        e instanceof WeirException ? e.getMessage() : EnvironmentFailures.describe(e).orElse(null);
    if (message != null) {
      CliLog.write("DEBUG", command, message, e);
      err.println("error: " + message);
      return USAGE;
    }
    Optional<Path> log = CliLog.write("ERROR", command, "internal error", e);
    err.println("internal error (please report it): " + e);
    if (log.isPresent()) {
      err.println("The stack trace is in " + log.get());
    } else {
      e.printStackTrace(err);
    }
    return FAILED;
  }
}
