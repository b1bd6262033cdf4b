package dev.weir.tasks.cdc;

import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.jdbc.Databases;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Runs Debezium's embedded engine for one task until it is cancelled, catches up, or fails. Each
 * batch Debezium hands over is applied to the target in one transaction; only then are its records
 * marked processed and the batch finished, which (offsets flushed at every commit) writes the
 * offsets to Weir's store. A crash between the two re-delivers the batch: at-least-once delivery,
 * and an idempotent apply (upserts and deletes by key) makes the effect exactly once.
 */
final class StreamRunner {
  private static final long PROGRESS_MILLIS = 5_000;

  private final CdcSource source;
  private final CdcOptions options;
  private final TaskContext context;
  private final ChangeDecoder decoder;
  private final BatchApplier applier;
  private final CdcMetrics metrics;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicReference<String> stopReason = new AtomicReference<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private volatile CdcSource.CaughtUp caughtUp;

  StreamRunner(
      CdcSource source,
      CdcOptions options,
      TaskContext context,
      ChangeDecoder decoder,
      BatchApplier applier,
      CdcMetrics metrics) {
    this.source = source;
    this.options = options;
    this.context = context;
    this.decoder = decoder;
    this.applier = applier;
    this.metrics = metrics;
  }

  /**
   * Streams until stopped; returns why it stopped ({@code cancelled}, {@code caught up}).
   *
   * @param snapshot whether the connector copies the tables first
   */
  String run(boolean snapshot, boolean untilCaughtUp) throws Exception {
    String id = UUID.randomUUID().toString();
    Properties props = source.connector(snapshot);
    props.setProperty("name", "weir-" + context.taskId());
    // the offsets are keyed by it, so it stays the same for the task across runs (the slot's name)
    String prefix = source.name();
    props.setProperty("topic.prefix", prefix);
    forgetMetrics(prefix);
    props.setProperty("offset.storage", WeirOffsetStore.class.getName());
    props.setProperty(WeirOffsetStore.ID_PROPERTY, id);
    props.setProperty("offset.flush.interval.ms", "0");
    props.setProperty("max.batch.size", String.valueOf(options.maxBatch()));
    props.setProperty("max.queue.size", String.valueOf(Math.max(8192, options.maxBatch() * 4)));
    // Debezium waits this long twice: its PostgreSQL reader sleeps it whenever the replication
    // stream has nothing pending, and the queue waits it for a full batch; half each keeps a
    // change's wait for its batch within maxLatency (CdcBench: p99 lag 2.6 s at maxLatency 1s
    // with the whole of it)
    props.setProperty(
        "poll.interval.ms", String.valueOf(Math.max(1, options.maxLatency().toMillis() / 2)));
    props.setProperty("tombstones.on.delete", "false");
    props.setProperty("decimal.handling.mode", "precise");
    props.setProperty("time.precision.mode", "adaptive_time_microseconds");
    props.setProperty("binary.handling.mode", "bytes");
    // a source that went away fails the attempt (its retry policy decides) instead of hanging
    props.setProperty("errors.max.retries", "3");
    props.setProperty("errors.retry.delay.initial.ms", "500");
    props.setProperty("errors.retry.delay.max.ms", "5000");

    if (untilCaughtUp) {
      caughtUp = source.caughtUp();
    }
    try (AutoCloseable registered = WeirOffsetStore.register(id, context.streamOffsets())) {
      DebeziumEngine<RecordChangeEvent<SourceRecord>> engine =
          DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
              .using(props)
              .using((success, message, error) -> {
                if (!success && stopReason.get() == null) {
                  failure.compareAndSet(
                      null,
                      TaskFailedException.connection(
                          context.mask("change data capture stopped: " + message), error));
                }
                done.countDown();
              })
              .notifying(this::handleBatch)
              .build();
      Thread streaming = Thread.ofPlatform().name("weir-cdc-" + context.taskId()).start(engine);
      context.onCancel(() -> stop("cancelled"));
      if (caughtUp != null) {
        Thread.ofVirtual()
            .name("weir-cdc-mark-" + context.taskId())
            .start(() -> {
              try {
                caughtUp.place();
              } catch (Exception e) {
                failure.compareAndSet(
                    null,
                    TaskFailedException.connection(
                        context.mask("cannot mark the stream's start: " + e.getMessage()), e));
                stop("failed");
              }
            });
      }
      long lastProgress = System.currentTimeMillis();
      boolean closed = false;
      try {
        while (!done.await(200, TimeUnit.MILLISECONDS)) {
          if (stopReason.get() != null) {
            close(engine); // returns once the engine stopped; the callback counts done down
            closed = true;
            break;
          }
          if (System.currentTimeMillis() - lastProgress >= PROGRESS_MILLIS) {
            lastProgress = System.currentTimeMillis();
            context.logger().info(metrics.progress());
          }
        }
      } catch (InterruptedException e) {
        // the engine cancels an attempt by running its hooks and interrupting its thread: Debezium
        // must still be closed, or it keeps streaming on its own thread and holds the slot, so
        // that the next run of the task finds it "active for PID …"
        // (not interrupted again: the engine knows of the cancel, and the task still reports
        // its outputs and logs its last line)
        stop("cancelled");
        close(engine);
        closed = true;
      }
      done.await(60, TimeUnit.SECONDS);
      if (!closed) {
        close(engine);
      }
      streaming.join(TimeUnit.SECONDS.toMillis(30));
    }
    RuntimeException f = failure.get();
    if (f != null) {
      throw f;
    }
    String reason = stopReason.get();
    return reason == null ? "the engine stopped" : reason;
  }

  /**
   * Closes Debezium on a thread of its own and waits for it (bounded). A cancel interrupts the
   * task's thread, and a close interrupted midway shuts the engine down "immediately", without
   * ending its replication connection: PostgreSQL then keeps the slot active for the next run of
   * the task until wal_sender_timeout (a minute by default).
   */
  private static void close(DebeziumEngine<?> engine) {
    Thread closing =
        Thread.ofPlatform()
            .name("weir-cdc-close")
            .start(() -> {
              try {
                engine.close();
              } catch (IllegalStateException | java.io.IOException e) {
                // it is shutting down by itself already (a failed batch): nothing left to close
              }
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (closing.isAlive() && System.nanoTime() < deadline) {
      try {
        closing.join(1000);
      } catch (InterruptedException e) {
        // the cancel's interrupt: the close goes on, and the engine knows of the cancel
      }
    }
  }

  /**
   * Unregisters the JMX metrics an earlier engine of this task left behind (one that failed does
   * not always unregister them); Debezium would otherwise wait a minute per metrics set for them to
   * go.
   */
  private static void forgetMetrics(String prefix) {
    try {
      var server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
      for (var name : server.queryNames(new javax.management.ObjectName("debezium.*:*"), null)) {
        if (prefix.equals(name.getKeyProperty("server"))) {
          server.unregisterMBean(name);
        }
      }
    } catch (javax.management.JMException | RuntimeException e) {
      // only metrics: Debezium waits for them as it would have anyway
    }
  }

  private void stop(String reason) {
    stopReason.compareAndSet(null, reason);
  }

  private void handleBatch(
      List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    if (stopReason.get() != null) {
      return; // stopping: leave the batch unmarked, to be delivered again at the next start
    }
    long started = System.nanoTime();
    var changes = new ArrayList<Change>(records.size());
    boolean marked = false;
    try {
      for (var r : records) {
        SourceRecord sr = r.record();
        if (caughtUp != null && caughtUp.isMark(sr)) {
          marked = true;
          continue;
        }
        Change c = decoder.decode(sr);
        if (c != null) {
          changes.add(c);
        }
      }
      int written = 0;
      if (!changes.isEmpty()) {
        written = applier.apply(changes, OffsetDateTime.now(ZoneOffset.UTC));
      }
      long[] lags = metrics.batch(changes, written, System.currentTimeMillis(), started);
      context.stream().batchApplied(changes.size(), lags);
    } catch (SQLException e) {
      fail(
          Databases.statementFailure(
              context.mask("cannot apply a batch to the target: " + e.getMessage()), e));
    } catch (TaskFailedException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(
          new TaskFailedException(
              context.mask("cannot apply a batch to the target: " + e),
              false,
              java.util.Map.of(),
              e));
    }
    for (var r : records) {
      committer.markProcessed(r);
    }
    committer.markBatchFinished();
    if (marked) {
      stop("caught up");
    }
  }

  private void fail(TaskFailedException e) {
    failure.compareAndSet(null, e);
    stop("failed");
    throw e; // stops the engine without marking the batch
  }
}
