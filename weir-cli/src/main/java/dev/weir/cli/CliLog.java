package dev.weir.cli;

import dev.weir.util.JdbcUrls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The CLI's log file, where a failure's stack trace goes instead of the console: {@code
 * $WEIR_LOG_FILE}, else {@code $XDG_STATE_HOME/weir/weir.log}, else {@code
 * ~/.local/state/weir/weir.log}. Written only when a command fails, so a command that works costs
 * nothing; kept to about 1 MiB plus one older file ({@code weir.log.1}).
 */
final class CliLog {
  static final long MAX_BYTES = 1 << 20;

  private CliLog() {}

  static Path file() {
    String p = System.getProperty("weir.logFile", System.getenv("WEIR_LOG_FILE"));
    if (p != null && !p.isBlank()) {
      return Path.of(p);
    }
    String state = System.getenv("XDG_STATE_HOME");
    Path dir =
        state != null && !state.isBlank()
            ? Path.of(state)
            : Path.of(System.getProperty("user.home"), ".local", "state");
    return dir.resolve("weir").resolve("weir.log");
  }

  /**
   * Appends {@code message} and the stack trace of {@code error} at {@code level}; returns the
   * file, or empty when it could not be written (then the caller still has the console).
   */
  static Optional<Path> write(String level, String command, String message, Throwable error) {
    // command: the qualified name, e.g. "weir runs list"
    var trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    String entry =
        Instant.now()
            + " "
            + level
            + " "
            + command
            + ": "
            + message
            + System.lineSeparator()
            + mask(trace.toString());
    Path file = file().toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
      if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
        Files.move(
            file,
            file.resolveSibling(file.getFileName() + ".1"),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Files.writeString(
          file,
          entry,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      return Optional.of(file);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  // A driver's exception may echo a JDBC URL with its password; the log file is kept at rest.
  private static String mask(String text) {
    return JdbcUrls.redact(text);
  }
}
