package dev.weir.cli;

import dev.weir.util.IoErrors;
import java.io.IOException;
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
              + bind.get().getMessage()
              + "; stop the other process or choose another port with --port");
    }
    if (IoErrors.find(e, ConnectException.class).isPresent()) {
      return Optional.of(
          "connection refused: "
              + IoErrors.find(e, ConnectException.class).get().getMessage()
              + "; is the service running?");
    }
    Optional<IOException> io =
        IoErrors.find(e, java.io.UncheckedIOException.class)
            .map(java.io.UncheckedIOException::getCause);
    return io.map(x -> "I/O failed: " + IoErrors.reason(x));
  }
}
