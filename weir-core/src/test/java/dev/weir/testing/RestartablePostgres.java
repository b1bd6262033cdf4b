package dev.weir.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server the test owns, on its own port and data directory, so that it can be stopped
 * and started again under a running flow. Never the machine's shared server.
 *
 * <p>zonky's embedded PostgreSQL where it can run; initdb and pg_ctl refuse to run as root, so as
 * root the machine's PostgreSQL binaries are run as the {@code postgres} user instead. Where
 * neither is possible the test is skipped, saying why.
 */
public final class RestartablePostgres implements AutoCloseable {
  private static final long WAIT_SECONDS = 60;

  private final int port;
  private final Path dataDir;
  private final Path binDir; // null: zonky
  private final java.util.Map<String, String> settings;
  private EmbeddedPostgres zonky;

  private RestartablePostgres(
      int port, Path dataDir, Path binDir, java.util.Map<String, String> settings) {
    this.port = port;
    this.dataDir = dataDir;
    this.binDir = binDir;
    this.settings = settings;
  }

  /** Starts a new server on a free port. */
  public static RestartablePostgres start() {
    return start(java.util.Map.of());
  }

  /**
   * A server whose write-ahead log carries logical decoding (for change data capture): {@code
   * wal_level=logical} and room for a few replication slots and senders.
   */
  public static RestartablePostgres startLogical() {
    return start(
        java.util.Map.of(
            "wal_level", "logical", "max_replication_slots", "10", "max_wal_senders", "10"));
  }

  /** Starts a new server on a free port with these server settings ({@code -c name=value}). */
  public static RestartablePostgres start(java.util.Map<String, String> settings) {
    int port = freePort();
    try {
      Path dir = Files.createTempDirectory("weir-pg-");
      boolean root = "root".equals(System.getProperty("user.name"));
      Path bin = root ? machineBinaries() : null;
      if (root && bin == null) {
        Assumptions.abort(
            "running as root, where zonky's initdb refuses to run, and no PostgreSQL binaries"
                + " under /usr/lib/postgresql/*/bin to run as user postgres");
      }
      var pg = new RestartablePostgres(port, dir, bin, java.util.Map.copyOf(settings));
      if (bin != null) {
        run("chown", "postgres", dir.toString());
        pg.asPostgres(
            bin.resolve("initdb"),
            "-D",
            dir.resolve("data").toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF-8",
            "--no-sync");
      }
      pg.startServer();
      // a test that dies before close() must not leave a server running on the machine
      Runtime.getRuntime().addShutdownHook(new Thread(pg::closeQuietly, "weir-test-pg-stop"));
      return pg;
    } catch (IOException | RuntimeException e) {
      Assumptions.abort("cannot start a PostgreSQL of the test's own: " + e.getMessage());
      return null;
    }
  }

  public int port() {
    return port;
  }

  /** A JDBC URL of the {@code postgres} database as user postgres. */
  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /**
   * Stops the server the way an administrator's restart does (pg_ctl's fast mode): sessions end
   * with SQLSTATE 57P01, open transactions roll back.
   */
  public synchronized void stop() throws IOException {
    if (binDir != null) {
      asPostgres(
          binDir.resolve("pg_ctl"),
          "-D",
          dataDir.resolve("data").toString(),
          "-m",
          "fast",
          "-w",
          "-t",
          String.valueOf(WAIT_SECONDS),
          "stop");
    } else if (zonky != null) {
      zonky.close();
      zonky = null;
    }
  }

  /** Starts the stopped server again, on the same port with the same data. */
  public synchronized void startServer() throws IOException {
    if (binDir != null) {
      asPostgres(
          binDir.resolve("pg_ctl"),
          "-D",
          dataDir.resolve("data").toString(),
          "-l",
          dataDir.resolve("server.log").toString(),
          "-w",
          "-t",
          String.valueOf(WAIT_SECONDS),
          "-o",
          "-p "
              + port
              + " -k "
              + dataDir
              + " -c listen_addresses=127.0.0.1 -c fsync=off"
              + extraSettings(),
          "start");
    } else {
      var builder =
          EmbeddedPostgres.builder()
              .setPort(port)
              .setDataDirectory(dataDir.resolve("data"))
              .setCleanDataDirectory(false)
              .setServerConfig("fsync", "off");
      settings.forEach(builder::setServerConfig);
      zonky = builder.start();
    }
  }

  private String extraSettings() {
    var out = new StringBuilder();
    settings.forEach((k, v) -> out.append(" -c ").append(k).append('=').append(v));
    return out.toString();
  }

  /** Stops and starts again. */
  public void restart() throws IOException {
    stop();
    startServer();
  }

  private boolean closed;

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (binDir == null || Files.exists(dataDir.resolve("data/postmaster.pid"))) {
        stop();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      // the JVM is going away
    }
  }

  private static Path machineBinaries() {
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(base)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.naturalOrder())
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private void asPostgres(Path binary, String... args) throws IOException {
    var command = new ArrayList<>(List.of("runuser", "-u", "postgres", "--", binary.toString()));
    command.addAll(List.of(args));
    run(command.toArray(String[]::new));
  }

  private static void run(String... command) throws IOException {
    Path out = Files.createTempFile("weir-pg-cmd", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(WAIT_SECONDS + 10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in time");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " exited with "
                + p.exitValue()
                + ": "
                + Files.readString(out).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(out);
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
