package dev.weir.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weir.server.cluster.ClusterSignals;
import dev.weir.server.cluster.Signal;
import dev.weir.store.StoreAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What the cluster's wake-ups cost (issue 15): the time from one node's {@code send} to another
 * node's callback, what {@code send} costs whoever calls it (a run's end), and what a {@code
 * pg_notify} adds to a statement and to a durable transaction, against the same statement or
 * transaction without it, in the same invocation.
 *
 * <pre>
 * weir-bench/run-signals-bench.sh [--pg=JDBC_URL] [--samples=1000] [--warmup=200]
 * </pre>
 *
 * Other clusters on the same database hear these signals (and this one theirs): run it on a
 * database nobody else's nodes use, or read a rare short sample as theirs.
 */
public final class SignalsBench {
  private SignalsBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "true" : arg.substring(eq + 1));
    }
    String pg = a.getOrDefault("pg", PgSchemas.DEFAULT_URL);
    int samples = Integer.parseInt(a.getOrDefault("samples", "1000"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "200"));
    System.out.printf(
        "signals bench: %d samples after %d warm-up, load %s%n",
        samples, warmup, Machine.loadAverage());
    String url = PgSchemas.create(pg, "weir_signals");
    try {
      wakeups(url, warmup, samples);
      statements(url, warmup, samples);
    } finally {
      PgSchemas.drop(pg, url);
    }
  }

  /** Node A sends, node B's listener calls back: one signal at a time. */
  private static void wakeups(String url, int warmup, int samples) throws Exception {
    var heard = new Semaphore(0);
    try (var ds = pool(url);
        ClusterSignals a = ClusterSignals.open(StoreAddress.of(url), ds, "bench-a");
        ClusterSignals b = ClusterSignals.open(StoreAddress.of(url), ds, "bench-b")) {
      b.on(Signal.Kind.QUEUE, heard::release);
      var connected = new Semaphore(0);
      b.on(Signal.Kind.RUNS, connected::release); // every kind is called once at the connection
      b.start();
      a.start();
      if (!connected.tryAcquire(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node B never listened");
      }
      heard.drainPermits();
      long[] wake = new long[samples];
      long[] call = new long[samples];
      for (int i = -warmup; i < samples; i++) {
        long t0 = System.nanoTime();
        a.send(Signal.queue("bench", "f" + i));
        long t1 = System.nanoTime();
        if (!heard.tryAcquire(5, TimeUnit.SECONDS)) {
          throw new IllegalStateException("signal " + i + " was not heard within 5 s");
        }
        long t2 = System.nanoTime();
        if (i >= 0) {
          call[i] = t1 - t0;
          wake[i] = t2 - t0;
        }
      }
      System.out.printf(
          "send -> another node's callback: median %s, p99 %s%n",
          Stats.ms(Stats.median(wake)), Stats.ms(Stats.percentile(wake, 99)));
      System.out.printf(
          "send() on the caller's thread: median %s, p99 %s%n",
          Stats.us(Stats.median(call)), Stats.us(Stats.percentile(call, 99)));
    }
  }

  // as a node sends: through a pool that keeps its connections open
  private static HikariDataSource pool(String url) {
    var cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    cfg.setMaximumPoolSize(2);
    return new HikariDataSource(cfg);
  }

  /** A statement and a durable transaction, each with and without a pg_notify, alternated. */
  private static void statements(String url, int warmup, int samples) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute("CREATE TABLE bench_row (id INT PRIMARY KEY, v INT)");
      c.createStatement().execute("INSERT INTO bench_row VALUES (1, 0)");
      var select = c.prepareStatement("SELECT 1");
      var notify = c.prepareStatement("SELECT pg_notify('" + Signal.CHANNEL + "', 'flows')");
      var update = c.prepareStatement("UPDATE bench_row SET v = v + 1 WHERE id = 1");
      long[][] s = new long[4][samples];
      for (int i = -warmup; i < samples; i++) {
        long t0 = System.nanoTime();
        select.execute();
        long t1 = System.nanoTime();
        notify.execute();
        long t2 = System.nanoTime();
        c.setAutoCommit(false);
        update.executeUpdate();
        c.commit();
        long t3 = System.nanoTime();
        update.executeUpdate();
        notify.execute();
        c.commit();
        c.setAutoCommit(true);
        long t4 = System.nanoTime();
        if (i >= 0) {
          s[0][i] = t1 - t0;
          s[1][i] = t2 - t1;
          s[2][i] = t3 - t2;
          s[3][i] = t4 - t3;
        }
      }
      System.out.printf(
          "statement: SELECT 1 %s, SELECT pg_notify %s (medians)%n",
          Stats.ms(Stats.median(s[0])), Stats.ms(Stats.median(s[1])));
      System.out.printf(
          "durable transaction (UPDATE + COMMIT): without %s, with pg_notify %s (medians)%n",
          Stats.ms(Stats.median(s[2])), Stats.ms(Stats.median(s[3])));
    }
  }
}
