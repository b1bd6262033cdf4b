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
import java.util.concurrent.atomic.AtomicBoolean;
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
  /**
   * How long a close may take: a slot still being created waits for the source's open transactions.
   */
  private static final long CLOSE_SECONDS = 120;

  private static final long PROGRESS_MILLIS = 5_000;

  /** How often changes waiting unapplied are reported (and how old they must be at arrival). */
  static final long WAITING_MILLIS = 1_000;

  private final CdcSource source;
  private final CdcOptions options;
  private final TaskContext context;
  private final ChangeDecoder decoder;
  private final ChangeSifter applier;
  private final CdcMetrics metrics;
  private final TruncateRule truncates;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicReference<String> stopReason = new AtomicReference<>();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private volatile CdcSource.CaughtUp caughtUp;

  /** Whether the task's offsets hold {@link SnapshotMark#KEY}. */
  private AtomicBoolean snapshotMarked;

  /** Whether the first snapshot batch must write {@link SnapshotMark#KEY} before it is applied. */
  private volatile boolean markSnapshot;

  /** The batch being applied: how many changes, the oldest source commit; null when none. */
  private record Pending(int changes, long oldestSourceMillis) {}

  private volatile Pending pending;

  /** Whether a batch is being applied now. */
  private volatile boolean applying;

  StreamRunner(
      CdcSource source,
      CdcOptions options,
      TaskContext context,
      ChangeDecoder decoder,
      ChangeSifter applier,
      TruncateRule truncates,
      CdcMetrics metrics) {
    this.truncates = truncates;
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
   * @param snapshotting whether it will (no offsets stored, or those of an unfinished snapshot)
   * @param snapshotMarked whether the task's offsets hold {@link SnapshotMark#KEY}; the first
   *     snapshot batch writes it when they do not, the batch that finishes the snapshot removes it
   */
  String run(
      boolean snapshot, boolean untilCaughtUp, boolean snapshotting, AtomicBoolean snapshotMarked)
      throws Exception {
    this.snapshotMarked = snapshotMarked;
    this.markSnapshot = snapshotting && !snapshotMarked.get();
    String id = UUID.randomUUID().toString();
    Properties props = source.connector(snapshot);
    props.setProperty("name", "weir-" + context.taskId());
    // the offsets are keyed by it, so it stays the same for the task across runs (the slot's name)
    String prefix = source.name();
    props.setProperty("topic.prefix", prefix);
    DebeziumEngines.forgetMetrics(prefix);
    props.setProperty("offset.storage", WeirOffsetStore.class.getName());
    props.setProperty(WeirOffsetStore.ID_PROPERTY, id);
    props.setProperty(WeirSchemaHistory.ID_PROPERTY, id); // read by a binlog source's history
    props.setProperty("offset.flush.interval.ms", "0");
    props.setProperty("max.batch.size", String.valueOf(options.maxBatch()));
    props.setProperty("max.queue.size", String.valueOf(Math.max(8192, options.maxBatch() * 4)));
    // Weir measures lag itself (StreamProgress): Debezium's quantile sketches of it are not needed.
    // (Its lag events still go through a 1,000-event queue that a burst of a batch overflows, with
    // a WARN per event dropped; the CLI's log setup keeps that logger at ERROR.)
    props.setProperty("statistics.metrics.enabled", "false");
    // Debezium waits this long twice: its PostgreSQL reader sleeps it whenever the replication
    // stream has nothing pending, and the queue waits it for a full batch; half each keeps a
    // change's wait for its batch within maxLatency (CdcBench: p99 lag 2.6 s at maxLatency 1s
    // with the whole of it)
    props.setProperty(
        "poll.interval.ms", String.valueOf(Math.max(1, options.maxLatency().toMillis() / 2)));
    props.setProperty("tombstones.on.delete", "false");
    // truncates reach the task, which applies, ignores or stops on them (truncates:); Debezium
    // would skip them unseen
    props.setProperty("skipped.operations", "none");
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
    try (AutoCloseable registered =
        WeirOffsetStore.register(id, context.streamOffsets(), snapshotMarked)) {
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
      context.onCancel(this::cancel);
      if (caughtUp != null) {
        Thread.ofVirtual()
            .name("weir-cdc-mark-" + context.taskId())
            .start(() -> {
              try {
                awaitStreaming(prefix);
                if (stopReason.get() == null) {
                  caughtUp.place();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
      long lastWaiting = lastProgress;
      boolean closed = false;
      try {
        while (!done.await(200, TimeUnit.MILLISECONDS)) {
          if (System.currentTimeMillis() - lastWaiting >= WAITING_MILLIS) {
            lastWaiting = System.currentTimeMillis();
            reportWaiting(0);
          }
          if (stopReason.get() != null) {
            // returns once the engine stopped; the callback counts done down
            DebeziumEngines.close(engine);
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
        cancel();
        DebeziumEngines.close(engine);
        closed = true;
      }
      done.await(60, TimeUnit.SECONDS);
      if (!closed) {
        DebeziumEngines.close(engine);
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
   * Waits until Debezium streams (after its snapshot, if any): a mark placed earlier lies before
   * the position a snapshot streams from, and is skipped with the changes the snapshot holds — the
   * cause of {@code --until-caught-up} never stopping after a Weir killed mid-snapshot.
   */
  private void awaitStreaming(String prefix) throws InterruptedException {
    while (stopReason.get() == null && done.getCount() > 0) {
      if (DebeziumEngines.isStreaming(prefix)) {
        return;
      }
      Thread.sleep(100);
    }
  }

  private void stop(String reason) {
    stopReason.compareAndSet(null, reason);
  }

  /**
   * Stops for a cancel: a batch in flight is aborted, so that an apply hanging on the target (a
   * lock, a slow statement) cannot hold the attempt and Debezium's engine (and with it the slot)
   * until it returns. The batch is not marked processed and is read again by the next run.
   */
  private void cancel() {
    stop("cancelled");
    if (pending != null || applying) {
      applier.abort();
    }
  }

  private void handleBatch(
      List<RecordChangeEvent<SourceRecord>> records,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    if (stopReason.get() != null) {
      return; // stopping: leave the batch unmarked, to be delivered again at the next start
    }
    long started = System.nanoTime();
    List<Change> changes = new ArrayList<>(records.size());
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
      changes = truncates.admit(changes);
      pending = pendingOf(changes);
      // a batch read again by each retry of a failing apply is as late as its oldest change
      reportWaiting(WAITING_MILLIS);
      int written = 0;
      if (!changes.isEmpty()) {
        applying = true;
        if (stopReason.get() != null) {
          return; // cancelled while decoding: the batch stays unmarked
        }
        if (markSnapshot && changes.stream().anyMatch(c -> c.op() == Change.Op.SNAPSHOT)) {
          // before the target holds any row of the snapshot: a start that finds the mark knows
          // the snapshot was cut short, and Debezium restarts it from scratch
          context.streamOffsets().save(java.util.Map.of(SnapshotMark.KEY, SnapshotMark.STARTED));
          snapshotMarked.set(true);
          markSnapshot = false;
        }
        written = applier.apply(changes, OffsetDateTime.now(ZoneOffset.UTC));
      }
      pending = null;
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
    } finally {
      applying = false;
    }
    for (var r : records) {
      committer.markProcessed(r);
    }
    committer.markBatchFinished();
    if (marked) {
      stop("caught up");
    }
  }

  private static Pending pendingOf(List<Change> changes) {
    long oldest = Long.MAX_VALUE;
    for (Change c : changes) {
      if (c.sourceMillis() > 0) {
        oldest = Math.min(oldest, c.sourceMillis());
      }
    }
    return oldest == Long.MAX_VALUE ? null : new Pending(changes.size(), oldest);
  }

  /**
   * Reports the batch being applied as waiting, when its oldest change is at least {@code
   * minMillis} old: a target that hangs or a batch that keeps failing applies nothing, and a lag
   * SLA must still see the lag grow.
   */
  private void reportWaiting(long minMillis) {
    Pending p = pending;
    if (p == null) {
      return;
    }
    long lag = System.currentTimeMillis() - p.oldestSourceMillis();
    if (lag >= minMillis) {
      context.stream().waiting(p.changes(), lag);
    }
  }

  private void fail(TaskFailedException e) {
    // a batch aborted by a cancel fails too: the cancel, not the failure, is why the task stopped
    if (!"cancelled".equals(stopReason.get())) {
      failure.compareAndSet(null, e);
      stop("failed");
    }
    throw e; // stops the engine without marking the batch
  }
}
