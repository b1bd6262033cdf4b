package dev.weir.cli;

import dev.weir.util.IoErrors;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.file.FileSystemException;
import java.util.Optional;

/**
 * The expected failures of the machine around Weir that reach the top of a command without a Weir
 * message: the one place that recognizes them. Each becomes one line saying what happened and what
 * to do; anything else is a bug and says so.
 */
final class EnvironmentFailures {
  private EnvironmentFailures() {}

  static Optional<String> describe(Throwable e) {
    Optional<FileSystemException> fs = IoErrors.find(e, FileSystemException.class);
    if (fs.isPresent() && fs.get().getFile() != null) {
      FileSystemException f = fs.get();
      String hint =
          IoErrors.isPermission(f) ? "; check its permissions, or choose another location" : "";
      return Optional.of("cannot use " + f.getFile() + ": " + IoErrors.reason(f) + hint);
    }
    Optional<BindException> bind = IoErrors.find(e, BindException.class);
    if (bind.isPresent()) {
      return Optional.of(
          "cannot listen: "
              + lowerFirst(bind.get().getMessage())
              + "; stop the process that holds the port, or choose another with --port");
    }
    Optional<ConnectException> refused = IoErrors.find(e, ConnectException.class);
    if (refused.isPresent()) {
      return Optional.of(
          "cannot connect: "
              + lowerFirst(refused.get().getMessage())
              + "; is the server you named running, and at that address?");
    }
    return Optional.empty();
  }

  private static String lowerFirst(String s) {
    return s == null || s.isEmpty()
        ? "refused"
        : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
