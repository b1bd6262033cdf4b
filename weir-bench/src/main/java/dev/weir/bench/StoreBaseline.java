package dev.weir.bench;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * The floor under the engine's per-task cost: what one durable commit costs on its own, on H2 with
 * the JDBC settings of {@link JdbcStateStore#h2}, or on PostgreSQL in a fresh schema.
 */
final class StoreBaseline {
  private StoreBaseline() {}

  /** The three baselines of one invocation, in nanoseconds. */
  record Samples(long[] raw, long[] write, long[] fsync) {}

  /**
   * All three baselines: on H2 files in {@code dir} when {@code pg} is null, else in a fresh schema
   * of the PostgreSQL database {@code pg} (dropped after); the fsync reference is always in {@code
   * dir}.
   */
  static Samples measure(Path dir, String pg, int samples) throws IOException, SQLException {
    long[] fsync = fsync(dir, samples / 10, samples / 4);
    if (pg == null) {
      return new Samples(
          rawCommit(dir, samples / 2, samples), storeWrite(dir, samples / 2, samples), fsync);
    }
    String url = PgSchemas.create(pg, "weir_baseline");
    try {
      long[] raw = rawCommit(url, samples / 2, samples);
      try (var store = JdbcStateStore.open(url, null, null, "baseline PostgreSQL store")) {
        return new Samples(raw, storeWrite(store, samples / 2, samples), fsync);
      }
    } finally {
      PgSchemas.drop(pg, url);
    }
  }

  /**
   * One single-row UPDATE and COMMIT per sample, on one plain JDBC connection (no pool, statement
   * prepared once).
   */
  static long[] rawCommit(Path dir, int warmup, int samples) throws SQLException {
    return rawCommit(
        "jdbc:h2:file:" + dir.toAbsolutePath().resolve("raw") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0",
        warmup,
        samples);
  }

  static long[] rawCommit(String url, int warmup, int samples) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE t (run_id VARCHAR(40), task_id VARCHAR(200), attempt INT,"
                + " state VARCHAR(20), PRIMARY KEY (run_id, task_id, attempt))");
        st.execute("INSERT INTO t VALUES ('r', 'a', 1, 'PENDING')");
      }
      c.setAutoCommit(false);
      long[] out = new long[samples];
      try (var ps =
          c.prepareStatement(
              "UPDATE t SET state = ? WHERE run_id = ? AND task_id = ? AND attempt = ?")) {
        for (int i = -warmup; i < samples; i++) {
          long begin = System.nanoTime();
          ps.setString(1, (i & 1) == 0 ? "RUNNING" : "SUCCEEDED");
          ps.setString(2, "r");
          ps.setString(3, "a");
          ps.setInt(4, 1);
          ps.executeUpdate();
          c.commit();
          long took = System.nanoTime() - begin;
          if (i >= 0) {
            out[i] = took;
          }
        }
      }
      return out;
    }
  }

  /**
   * {@link StateStore#write} of what one link of the chain writes: two task-run UPDATEs (one task
   * SUCCEEDED, the next RUNNING) in one transaction, through the pool, as the engine does.
   */
  static long[] storeWrite(Path dir, int warmup, int samples) {
    try (var store = JdbcStateStore.h2(dir.resolve("store"))) {
      return storeWrite(store, warmup, samples);
    }
  }

  static long[] storeWrite(StateStore store, int warmup, int samples) {
    Instant now = Instant.now();
    var a = TaskRunRecord.pending("r", "a", 1, 1);
    var b = TaskRunRecord.pending("r", "b", 1, 1);
    store.write(new StateStore.Batch(List.of(), List.of(), List.of(a, b), List.of()));
    long[] out = new long[samples];
    for (int i = -warmup; i < samples; i++) {
      var batch =
          (i & 1) == 0
              ? List.of(
                  a.running(now).ended(TaskState.SUCCEEDED, now, null, "{}", null, -1),
                  b.queued(now).running(now))
              : List.of(a.queued(now).running(now), b.queued(now));
      long begin = System.nanoTime();
      store.write(new StateStore.Batch(List.of(), List.of(), List.of(), batch));
      long took = System.nanoTime() - begin;
      if (i >= 0) {
        out[i] = took;
      }
    }
    return out;
  }

  /**
   * A 4 KiB write followed by {@code fsync} (FileChannel.force) per sample: what a commit would
   * cost at least if it had to survive a power loss, which H2's commits do not ask for (they write
   * to the OS page cache, enough to survive the process being killed).
   */
  static long[] fsync(Path dir, int warmup, int samples) throws IOException {
    long[] out = new long[samples];
    var buf = ByteBuffer.allocate(4096);
    try (var ch =
        FileChannel.open(
            dir.resolve("fsync.bin"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ)) {
      for (int i = -warmup; i < samples; i++) {
        long begin = System.nanoTime();
        buf.clear();
        ch.write(buf, (long) (i & 63) * 4096);
        ch.force(false);
        long took = System.nanoTime() - begin;
        if (i >= 0) {
          out[i] = took;
        }
      }
    }
    return out;
  }
}
