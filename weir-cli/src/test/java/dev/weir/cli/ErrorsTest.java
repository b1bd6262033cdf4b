package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CLI's last line of defence: real environment exceptions that reach it without a Weir message
 * still print one line and exit 2; the trace goes to the log file.
 */
class ErrorsTest {
  @TempDir Path dir;
  Path log;
  StringWriter err = new StringWriter();
  CommandLine cl = CommandTree.full(Surroundings.current());

  @BeforeEach
  void logToTheTestDirectory() {
    log = dir.resolve("weir.log");
    System.setProperty("weir.logFile", log.toString());
    cl.setErr(new PrintWriter(err, true));
  }

  @AfterEach
  void forgetTheLogFile() {
    System.clearProperty("weir.logFile");
  }

  @Test
  void a_file_system_error_names_the_path_and_the_reason() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");
    Exception e = catchException(() -> Files.createDirectories(file.resolve("sub")));

    int code = new Errors().handleExecutionException(e, cl, null);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: cannot use " + file.resolve("sub") + ": not a directory\n");
    assertThat(Files.readString(log)).contains(" DEBUG weir: cannot use ").contains("\tat ");
  }

  @Test
  void a_port_taken_by_another_socket_says_so() throws Exception {
    try (var taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        var second = new ServerSocket()) {
      Exception e =
          catchException(
              () -> second.bind(new InetSocketAddress("127.0.0.1", taken.getLocalPort())));

      int code = new Errors().handleExecutionException(e, cl, null);

      assertThat(code).isEqualTo(2);
      assertThat(err.toString())
          .isEqualTo(
              "error: cannot listen: address already in use; stop the process that holds the"
                  + " port, or choose another with --port\n");
    }
  }

  @Test
  void a_refused_connection_says_so() throws Exception {
    int closed;
    try (var s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    Exception e =
        catchException(() -> {
          try (var s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", closed), 2000);
          }
        });

    int code = new Errors().handleExecutionException(new RuntimeException(e), cl, null);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: cannot connect: connection refused; is the server you named running, and at"
                + " that address?\n");
  }

  @Test
  void an_unexpected_exception_says_internal_error_and_where_its_stack_trace_is() throws Exception {
    int code = new Errors().handleExecutionException(new IllegalStateException("boom"), cl, null);

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo(
            "internal error (please report it): java.lang.IllegalStateException: boom\n"
                + "The stack trace is in "
                + log
                + "\n");
    assertThat(Files.readString(log))
        .contains(" ERROR weir: internal error\njava.lang.IllegalStateException: boom\n\tat ");
  }
}
