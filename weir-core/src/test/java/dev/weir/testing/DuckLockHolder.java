package dev.weir.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Another process holding a DuckDB file, as a running flow or a {@code weir sql} would: it opens
 * the file, prints "holding", and keeps it for {@code args[1]} ms (or until it is ended).
 */
public final class DuckLockHolder {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
      System.out.println("holding");
      System.out.flush();
      Thread.sleep(Long.parseLong(args[1]));
    }
  }

  /** Starts a holder of {@code file} for at most {@code millis}; returns once it holds the lock. */
  public static Process start(Path file, long millis) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(DuckLockHolder.class.getName());
    cmd.add(file.toString());
    cmd.add(String.valueOf(millis));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    long deadline = System.nanoTime() + 30_000_000_000L;
    String line;
    while ((line = out.readLine()) != null) {
      if (line.equals("holding")) {
        return p;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("the DuckDB lock holder did not start");
  }
}
