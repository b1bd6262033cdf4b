package dev.weir.tasks.duck;

import dev.weir.WeirException;
import dev.weir.flow.Durations;
import dev.weir.task.TaskFailedException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way Weir opens a DuckDB database. A file that another process holds (DuckDB allows one
 * writer process, or any number of readers) is waited for up to {@link #lockWait()}, since the
 * holder is usually a short {@code weir sql} or a flow's load; then the failure names the holder's
 * PID and command line. A file this user may not open fails at once, as that does not heal.
 */
public final class DuckFiles {
  /** The environment variable that bounds the wait for a locked file, e.g. {@code 60s}. */
  public static final String LOCK_WAIT_ENV = "WEIR_DUCKDB_LOCK_WAIT";

  public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(10);
  private static final Pattern HOLDER =
      Pattern.compile("Conflicting lock is held in (.*?) \\(PID (\\d+)\\)");
  private static final Pattern CANNOT_OPEN =
      Pattern.compile("Cannot open file \"([^\"]*)\": (Permission denied|Read-only file system)");
  private static final long MAX_PAUSE_MS = 500;
  private static final List<String> JVM_VALUE_OPTIONS =
      List.of("-cp", "-classpath", "--class-path", "-p", "--module-path");

  private DuckFiles() {}

  /** Opens {@code url}, waiting up to {@link #lockWait()} for another process's lock. */
  public static Connection connect(String url, Properties properties) throws SQLException {
    return connect(url, properties, lockWait());
  }

  /**
   * Opens {@code url}, waiting up to {@code wait} for another process's lock.
   *
   * @throws Locked when the file is still locked after {@code wait}
   * @throws TaskFailedException (not retryable) when this user may not open the file
   */
  public static Connection connect(String url, Properties properties, Duration wait)
      throws SQLException {
    long deadline = System.nanoTime() + wait.toNanos();
    long pause = 50;
    while (true) {
      try {
        return DriverManager.getConnection(url, properties);
      } catch (SQLException e) {
        String message = String.valueOf(e.getMessage());
        Matcher denied = CANNOT_OPEN.matcher(message);
        if (denied.find()) {
          throw new TaskFailedException(
              "cannot open the DuckDB file "
                  + denied.group(1)
                  + ": "
                  + denied.group(2).toLowerCase(Locale.ROOT)
                  + "; make it and its directory writable for this user, or point the URL"
                  + " elsewhere",
              false,
              Map.of(),
              e);
        }
        Matcher holder = HOLDER.matcher(message);
        if (!holder.find()) {
          throw e;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new Locked(file(url), holder.group(1), Long.parseLong(holder.group(2)), wait, e);
        }
        sleep(Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        pause = Math.min(pause * 2, MAX_PAUSE_MS);
      }
    }
  }

  /** {@code $WEIR_DUCKDB_LOCK_WAIT}, else {@link #DEFAULT_LOCK_WAIT}. */
  public static Duration lockWait() {
    String text = System.getenv(LOCK_WAIT_ENV);
    if (text == null || text.isBlank()) {
      return DEFAULT_LOCK_WAIT;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new WeirException(
          LOCK_WAIT_ENV + "=" + text + " is not a duration; use e.g. 10s or 2m");
    }
  }

  private static String file(String url) {
    String rest = url.startsWith("jdbc:duckdb:") ? url.substring("jdbc:duckdb:".length()) : url;
    return rest.split("[;?]", 2)[0];
  }

  private static void sleep(long millis) throws SQLException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a DuckDB lock", e);
    }
  }

  /**
   * A DuckDB file still locked by another process after the wait. Retryable: the holder may be gone
   * by the task's next attempt.
   */
  public static final class Locked extends TaskFailedException {
    private final long pid;

    Locked(String file, String program, long pid, Duration waited, Throwable cause) {
      super(
          file
              + " is locked by another process (PID "
              + pid
              + ": "
              + describe(pid, program)
              + "); waited "
              + seconds(waited)
              + "; stop that process, or wait longer with "
              + LOCK_WAIT_ENV
              + " (e.g. 60s)",
          true,
          Map.of(),
          cause);
      this.pid = pid;
    }

    public long pid() {
      return pid;
    }

    // The holder's command line says more than DuckDB's "java": which flow, which `weir sql`.
    private static String describe(long pid, String program) {
      List<String> line = commandLine(pid);
      if (line.isEmpty()) {
        return program == null ? "unknown" : program.substring(program.lastIndexOf('/') + 1);
      }
      String exe = line.getFirst();
      var words = new java.util.ArrayList<String>();
      words.add(exe.substring(exe.lastIndexOf('/') + 1));
      boolean started = false; // past a JVM's options and class path, which hide what it runs
      for (int i = 1; i < line.size(); i++) {
        String arg = line.get(i);
        if (!started && JVM_VALUE_OPTIONS.contains(arg)) {
          i++;
        } else if (started || !arg.startsWith("-") || arg.equals("-jar")) {
          started = true;
          words.add(arg);
        }
      }
      String shown = String.join(" ", words);
      return shown.length() <= 100 ? shown : shown.substring(0, 99) + "…";
    }

    // /proc first: the JDK's ProcessHandle.Info drops the arguments of a long command line
    private static List<String> commandLine(long pid) {
      try {
        byte[] raw =
            java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + pid + "/cmdline"));
        if (raw.length > 0) {
          return List.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
        }
      } catch (java.io.IOException | RuntimeException e) {
        // not Linux, or the process is gone or not ours to read
      }
      var info = ProcessHandle.of(pid).map(ProcessHandle::info);
      var out = new java.util.ArrayList<String>();
      info.flatMap(ProcessHandle.Info::command).ifPresent(out::add);
      if (!out.isEmpty()) {
        out.addAll(List.of(info.flatMap(ProcessHandle.Info::arguments).orElse(new String[0])));
      }
      return out;
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
