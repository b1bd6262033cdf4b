package dev.weir.bench;

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

/**
 * A PostgreSQL of the benchmark's own with {@code wal_level=logical}, started from the machine's
 * binaries (/usr/lib/postgresql/N/bin) on a free port, as user postgres when running as root
 * (initdb refuses root) — the way weir-core's test support {@code
 * RestartablePostgres.startLogical()} does, without its JUnit dependency.
 */
final class LogicalPostgres implements AutoCloseable {
  private final int port;
  private final Path dir;
  private final Path bin;
  private final boolean root = "root".equals(System.getProperty("user.name"));

  private LogicalPostgres(int port, Path dir, Path bin) {
    this.port = port;
    this.dir = dir;
    this.bin = bin;
  }

  /** Starts one; {@code settings} are extra {@code -c name=value} server settings. */
  static LogicalPostgres start(List<String> settings) throws IOException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("weir-cdcbench-pg-");
    var pg = new LogicalPostgres(freePort(), dir, bin);
    if (pg.root) {
      run("chown", "postgres", dir.toString());
    }
    pg.as(
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
    var opts = new StringBuilder("-p " + pg.port + " -k " + dir + " -c listen_addresses=127.0.0.1");
    for (String s :
        List.of("wal_level=logical", "max_replication_slots=10", "max_wal_senders=10")) {
      opts.append(" -c ").append(s);
    }
    for (String s : settings) {
      opts.append(" -c ").append(s);
    }
    pg.as(
        bin.resolve("pg_ctl"),
        "-D",
        dir.resolve("data").toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-t",
        "60",
        "-o",
        opts.toString(),
        "start");
    Runtime.getRuntime().addShutdownHook(new Thread(pg::closeQuietly, "cdcbench-pg-stop"));
    return pg;
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
  }

  String version() {
    return bin.getParent().getFileName().toString();
  }

  private boolean closed;

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      as(bin.resolve("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    } finally {
      Machine.delete(dir);
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      // the JVM is going away
    }
  }

  private static Path binaries() throws IOException {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.naturalOrder())
          .orElseThrow(() -> new IOException("no PostgreSQL under /usr/lib/postgresql/*/bin"));
    }
  }

  private void as(Path binary, String... args) throws IOException {
    var command = new ArrayList<String>();
    if (root) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(binary.toString());
    command.addAll(List.of(args));
    run(command.toArray(String[]::new));
  }

  private static void run(String... command) throws IOException {
    Path out = Files.createTempFile("cdcbench-pg", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed: " + Files.readString(out));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static int freePort() throws IOException {
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
