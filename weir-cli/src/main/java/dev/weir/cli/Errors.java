package dev.weir.cli;

import dev.weir.WeirException;
import picocli.CommandLine;

/** Prints Weir errors as plain messages (no stack trace); anything else is a bug. */
final class Errors implements CommandLine.IExecutionExceptionHandler {
  static final int FAILED = 1;
  static final int USAGE = 2;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    if (e instanceof WeirException) {
      cl.getErr().println("error: " + e.getMessage());
      return USAGE;
    }
    cl.getErr().println("internal error (please report it): " + e);
    e.printStackTrace(cl.getErr());
    return FAILED;
  }
}
