package dev.weir.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A MariaDB server of the test's own with the binary log on (row format, full row images), on a
 * free port with its own data directory made by {@code mariadb-install-db}: what change data
 * capture reads. The machine's shared MariaDB has no binlog and must not be reconfigured. It can be
 * killed ({@code kill -9}) and started again on the same port and data. Skipped with one line where
 * MariaDB is not installed.
 */
public final class BinlogMariaDb implements AutoCloseable {
  private static final Path SERVER = Path.of("/usr/sbin/mariadbd");
  private static final Path INSTALL = Path.of("/usr/bin/mariadb-install-db");
  private static final long WAIT_MS = 60_000;

  private final Path dir;
  private final int port;
  private Process process;

  private BinlogMariaDb(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Makes a data directory and starts the server on a free port. */
  public static BinlogMariaDb start() {
    Assumptions.assumeTrue(
        Files.isExecutable(SERVER) && Files.isExecutable(INSTALL),
        "MariaDB is not installed (no " + SERVER + " or " + INSTALL + "); skipped");
    try {
      Path dir = Files.createTempDirectory("weir-mariadb-");
      var db = new BinlogMariaDb(dir, freePort());
      db.run(
          List.of(
              INSTALL.toString(),
              "--no-defaults",
              "--datadir=" + dir.resolve("data"),
              "--user=" + System.getProperty("user.name"),
              "--auth-root-authentication-method=normal",
              "--skip-test-db"));
      db.startServer();
      Runtime.getRuntime().addShutdownHook(new Thread(db::close, "weir-test-mariadb-stop"));
      return db;
    } catch (IOException | RuntimeException e) {
      Assumptions.abort("cannot start a MariaDB of the test's own: " + e.getMessage());
      return null;
    }
  }

  public int port() {
    return port;
  }

  /** A JDBC URL of database {@code database} as root (no password). */
  public String url(String database) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?user=root";
  }

  /** Starts the server (again), on the same port and data; returns when it accepts connections. */
  public synchronized void startServer() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    var command = new ArrayList<String>();
    command.add(SERVER.toString());
    command.add("--no-defaults");
    command.add("--datadir=" + dir.resolve("data"));
    command.add("--port=" + port);
    command.add("--bind-address=127.0.0.1");
    command.add("--socket=" + dir.resolve("mariadb.sock"));
    command.add("--pid-file=" + dir.resolve("mariadb.pid"));
    command.add("--user=" + System.getProperty("user.name"));
    command.add("--log-bin=" + dir.resolve("data").resolve("binlog"));
    command.add("--server-id=1");
    command.add("--binlog-format=ROW");
    command.add("--binlog-row-image=FULL");
    command.add("--skip-name-resolve");
    command.add("--innodb-flush-log-at-trx-commit=2");
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
            .start();
    long until = System.currentTimeMillis() + WAIT_MS;
    while (System.currentTimeMillis() < until) {
      if (!process.isAlive()) {
        throw new IOException("mariadbd exited at start: " + tail());
      }
      try (var s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    process.destroyForcibly();
    throw new IOException("mariadbd did not listen on " + port + " within 60 s: " + tail());
  }

  /** Kills the server as a crash would ({@code kill -9}); {@link #startServer} brings it back. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops the server and deletes its data. */
  @Override
  public synchronized void close() {
    try {
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
      if (Files.exists(dir)) {
        try (Stream<Path> all = Files.walk(dir)) {
          all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException | InterruptedException e) {
      // a temp directory left behind is no reason to fail the test
    }
  }

  private String tail() throws IOException {
    Path log = dir.resolve("server.log");
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }

  private void run(List<String> command) throws IOException {
    Path out = dir.resolve("install.log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(WAIT_MS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " exited with "
                + p.exitValue()
                + ": "
                + Files.readString(out));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
