package dev.weir.bench;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The baseline of the catch-up: Debezium's embedded engine alone on a slot of its own, with the
 * connector settings cdc.postgres uses and a consumer that only counts and marks records processed
 * — what reading and decoding the WAL costs without Weir's apply.
 */
final class RawDebezium {
  private final LogicalPostgres pg;
  private final Path work;
  private final String slot;

  RawDebezium(LogicalPostgres pg, Path work, String slot) {
    this.pg = pg;
    this.work = work;
    this.slot = slot;
  }

  /** Reads {@code expected} changes from the slot; returns changes/s from start to the last. */
  double drain(long expected) throws Exception {
    var p = new Properties();
    p.setProperty("name", slot);
    p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    String url = pg.url("postgres");
    var parsed = org.postgresql.Driver.parseURL(url, null);
    p.setProperty("database.hostname", parsed.getProperty("PGHOST"));
    p.setProperty("database.port", parsed.getProperty("PGPORT"));
    p.setProperty("database.dbname", "postgres");
    p.setProperty("database.user", "postgres");
    p.setProperty("database.password", "");
    p.setProperty("plugin.name", "pgoutput");
    p.setProperty("slot.name", slot);
    p.setProperty("publication.name", "bench_cu");
    p.setProperty("publication.autocreate.mode", "disabled");
    p.setProperty("table.include.list", "bench\\.t[0-9]+");
    p.setProperty("snapshot.mode", "no_data");
    p.setProperty("slot.drop.on.stop", "false");
    p.setProperty("topic.prefix", slot);
    p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
    p.setProperty("offset.storage.file.filename", work.resolve(slot + "-offsets.dat").toString());
    p.setProperty("offset.flush.interval.ms", "0");
    p.setProperty("max.batch.size", "10000");
    p.setProperty("max.queue.size", "40000");
    p.setProperty("poll.interval.ms", "1000");
    p.setProperty("tombstones.on.delete", "false");
    p.setProperty("decimal.handling.mode", "precise");
    p.setProperty("time.precision.mode", "adaptive_time_microseconds");
    p.setProperty("binary.handling.mode", "bytes");
    p.setProperty("statistics.metrics.enabled", "false"); // as cdc.postgres sets it

    var count = new AtomicLong();
    var done = new CountDownLatch(1);
    var first = new AtomicLong();
    var last = new AtomicLong();
    long t0 = System.nanoTime();
    var cpu = CdcBench.Cpu.now();
    try (DebeziumEngine<RecordChangeEvent<SourceRecord>> engine =
        DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(p)
            .notifying((records, committer) -> {
              first.compareAndSet(0, System.nanoTime());
              for (var r : records) {
                committer.markProcessed(r);
              }
              committer.markBatchFinished();
              if (count.addAndGet(records.size()) >= expected) {
                last.set(System.nanoTime());
                done.countDown();
              }
            })
            .build()) {
      Thread.ofPlatform().name("bench-raw-debezium").start(engine);
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("Debezium alone read " + count + " of " + expected);
      }
      var used = cpu.until(CdcBench.Cpu.now());
      double s = (last.get() - t0) / 1e9;
      double fromFirst = (last.get() - first.get()) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "catch-up → Debezium alone (no-op consumer): %,d changes in %.1f s from its start ="
              + " %,.0f changes/s (%.1f s from the first batch = %,.0f/s); JVM %.2f cores (%s),"
              + " postgres %.2f cores; load %s%n",
          count.get(),
          s,
          count.get() / s,
          fromFirst,
          count.get() / fromFirst,
          used.jvmCores(),
          used.threads(),
          used.postgresCores(),
          Machine.loadAverage());
      return count.get() / s;
    }
  }
}
