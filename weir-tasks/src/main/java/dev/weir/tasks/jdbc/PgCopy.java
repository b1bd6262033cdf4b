package dev.weir.tasks.jdbc;

import dev.weir.task.TaskContext;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Streams a dataset into a PostgreSQL table with COPY. DuckDB writes the rows as CSV into a named
 * pipe while PostgreSQL reads the other end, so the two work at once and nothing is written to
 * disk. Where no pipe can be made, the CSV goes through a file in the staging directory. When every
 * column has a binary encoding for its target type, {@link PgBinaryCopy} is used instead.
 */
final class PgCopy {
  /** Off only in tests that compare the two encodings. */
  static volatile boolean binary = true;

  private PgCopy() {}

  static long copy(Connection conn, String table, DatasetSource source, TaskContext context)
      throws SQLException, IOException, InterruptedException {
    if (binary) {
      PgBinaryCopy.Plan plan = PgBinaryCopy.plan(conn, table, source.columns());
      if (plan.fields() != null) {
        context.logger().info("COPY into " + table + " in binary format");
        return PgBinaryCopy.copy(conn, table, source, plan.fields(), context);
      }
      context.logger().info("COPY into " + table + " as CSV: " + plan.csvBecause());
    }
    List<String> names = source.names();
    String columns = String.join(", ", names.stream().map(Dialect.POSTGRES::quote).toList());
    String copy = "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT csv)";
    CopyManager copier = conn.unwrap(PGConnection.class).getCopyAPI();
    Path pipe = context.stagingDir().resolve("copy-" + System.nanoTime() + ".csv");
    boolean fifo = mkfifo(pipe);
    String export =
        "COPY ("
            + source.select(Dialect.POSTGRES)
            + ") TO "
            + Sql.path(pipe)
            + " (FORMAT csv, HEADER false)";
    context.onCancel(() -> cancel(conn));
    try (DuckSession duck = DuckSession.memory(context)) {
      duck.exec("SET TimeZone = 'UTC'");
      if (!fifo) {
        duck.exec(export);
        try (InputStream in = Files.newInputStream(pipe)) {
          return copier.copyIn(copy, in, 1 << 16);
        }
      }
      var readerOpen = new java.util.concurrent.atomic.AtomicBoolean();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  duck.exec(export);
                } catch (SQLException | RuntimeException e) {
                  release(pipe, readerOpen);
                  throw new java.util.concurrent.CompletionException(e);
                }
              },
              r -> Thread.ofPlatform().name("weir-pgcopy-export").daemon().start(r));
      long rows;
      try (InputStream in = new FileInputStream(pipe.toFile())) {
        readerOpen.set(true);
        rows = copier.copyIn(copy, in, 1 << 16);
      } catch (SQLException | IOException e) {
        // PostgreSQL's refusal is the error to report; the export it stopped fails only after
        duck.cancel();
        try {
          writer.join();
        } catch (java.util.concurrent.CompletionException w) {
          e.addSuppressed(w.getCause() == null ? w : w.getCause());
        }
        throw e;
      }
      try {
        writer.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof SQLException s) {
          throw s;
        }
        throw e;
      }
      return rows;
    } finally {
      Files.deleteIfExists(pipe);
    }
  }

  /**
   * Opens and closes the pipe once, so a reader still waiting to open it (the export failed before
   * it began) sees the end of the data instead of waiting forever. Opening a pipe for reading and
   * writing at once does not block on Linux, whether or not a reader is there.
   */
  private static void release(Path pipe, java.util.concurrent.atomic.AtomicBoolean readerOpen) {
    // the reader may not have reached its open yet: hold the pipe open until it has (bounded)
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!readerOpen.get() && System.nanoTime() < deadline) {
      try (var any = new java.io.RandomAccessFile(pipe.toFile(), "rw")) {
        Thread.sleep(20);
      } catch (IOException e) {
        return; // the pipe is gone already
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static boolean mkfifo(Path path) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
      return p.waitFor() == 0 && Files.exists(path);
    } catch (IOException e) {
      return false;
    }
  }

  private static void cancel(Connection conn) {
    try {
      conn.unwrap(org.postgresql.PGConnection.class).cancelQuery();
    } catch (SQLException | RuntimeException e) {
      // nothing running
    }
  }
}
