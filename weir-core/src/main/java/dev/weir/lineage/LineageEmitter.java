package dev.weir.lineage;

import dev.weir.audit.AuditJson;
import dev.weir.engine.RunListener;
import dev.weir.flow.TaskDef;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskAuditRecord;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.DatasetRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends OpenLineage events for each flow run and each task attempt: START when it is stored
 * RUNNING, COMPLETE when it succeeded (a task's with the datasets and row counts of its audit
 * facts), FAIL when it failed (or timed out), ABORT when it was cancelled while running. A task's
 * events name the flow run as their parent; the flow run's START is sent before its tasks' events
 * and its end after them.
 *
 * <p>The engine only queues the change (the audit facts of an end come with it); one background
 * thread takes what has queued every few milliseconds, writes each event as UTF-8 bytes and
 * delivers it, trying a few times with growing pauses. Secret values are masked in each value of an
 * event (names, datasets, the error), never in the JSON around them. A lineage server that is down
 * or slow never fails or delays a run: after the last try the event is logged and dropped, and a
 * full queue (100,000 events) drops new ones the same way.
 */
public final class LineageEmitter implements RunListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LineageEmitter.class);
  private static final int QUEUE = 100_000;
  private static final long IDLE_MS = 5;
  private static final Object STOP = new Object();

  private final LineageTransport transport;
  private final StateStore store;
  private final UnaryOperator<String> mask;
  private final int tries;
  private final Duration backoff;
  // lock-free: queuing a change costs the run's thread a CAS, never a wait on the worker's lock
  // of TaskRunRecord and RunRecord changes, and STOP
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Map<String, CachedRun> runs = new Lru<>(256);
  // the last event sent for each recent flow run (the worker's): a run stored RUNNING again
  // (picked up by another owner) does not start twice
  private final Map<String, LineageEvents.Type> runEvents = new Lru<>(1024);
  // audit facts heard with an attempt's end, taken by the event of that end
  private final Map<String, TaskAuditRecord> audits = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread worker;
  private volatile boolean closed;

  LineageEmitter(
      LineageTransport transport,
      StateStore store,
      UnaryOperator<String> mask,
      int tries,
      Duration backoff) {
    this.transport = transport;
    this.store = store;
    this.mask = mask;
    this.tries = tries;
    this.backoff = backoff;
    this.worker = Thread.ofPlatform().daemon().name("weir-lineage").start(this::work);
  }

  /**
   * Starts an emitter sending to {@code config}, reading audit facts from {@code store}; every
   * event passes through {@code mask} (secret values become {@code ******}) before it leaves.
   */
  public static LineageEmitter start(
      LineageConfig config, StateStore store, UnaryOperator<String> mask) {
    return new LineageEmitter(LineageTransport.of(config), store, mask, 5, Duration.ofMillis(500));
  }

  /** Events delivered so far. */
  public long sent() {
    return sent.get();
  }

  /** Events given up on (the lineage server refused them every try, or the queue was full). */
  public long dropped() {
    return dropped.get();
  }

  // attempts of sensors that have been WAITING, until they end
  private final java.util.Set<String> waited = ConcurrentHashMap.newKeySet();

  @Override
  public void taskAudited(TaskAuditRecord audit) {
    if (!closed) {
      audits.put(key(audit.runId(), audit.taskId(), audit.attempt()), audit);
    }
  }

  private static String key(String runId, String taskId, int attempt) {
    return runId + "/" + taskId + "/" + attempt;
  }

  @Override
  public void runChanged(RunRecord run) {
    if (closed || type(run) == null) {
      return;
    }
    if (!enqueue(run)) {
      LOG.warn("lineage queue full ({} events); dropped the event of run {}", QUEUE, run.id());
    }
  }

  @Override
  public void taskChanged(TaskDef task, TaskRunRecord taskRun) {
    if (closed || isRecheck(taskRun) || type(taskRun) == null) {
      return;
    }
    if (!enqueue(taskRun)) {
      audits.remove(key(taskRun.runId(), taskRun.taskId(), taskRun.attempt()));
      LOG.warn(
          "lineage queue full ({} events); dropped the event of task {} of run {}",
          QUEUE,
          taskRun.taskId(),
          taskRun.runId());
    }
  }

  /**
   * Whether a change is a sensor's next check: RUNNING again after WAITING, which is the same
   * attempt going on, so it makes no second START (its COMPLETE or FAIL comes at the end). The
   * attempts that waited are remembered by this emitter; after a restart, one waiting sensor's
   * first check makes one more START.
   */
  boolean isRecheck(TaskRunRecord t) {
    if (t.state() == TaskState.WAITING) {
      waited.add(key(t.runId(), t.taskId(), t.attempt()));
      return false;
    }
    if (waited.isEmpty()) {
      return false;
    }
    String key = key(t.runId(), t.taskId(), t.attempt());
    if (t.state() == TaskState.RUNNING) {
      return waited.contains(key);
    }
    if (t.state().isTerminal()) {
      waited.remove(key);
    }
    return false;
  }

  private boolean enqueue(Object change) {
    if (queued.incrementAndGet() <= QUEUE) {
      queue.add(change);
      return true;
    }
    queued.decrementAndGet();
    dropped.incrementAndGet();
    return false;
  }

  /**
   * Which event a stored change of a flow run makes, or null for none (queued, or ended without
   * having started).
   */
  static LineageEvents.Type type(RunRecord r) {
    if (r.state() == RunState.RUNNING) {
      return LineageEvents.Type.START;
    }
    if (!r.state().isTerminal() || r.startedAt() == null) {
      return null;
    }
    return switch (r.state()) {
      case SUCCEEDED -> LineageEvents.Type.COMPLETE;
      case FAILED -> LineageEvents.Type.FAIL;
      case CANCELLED -> LineageEvents.Type.ABORT;
      default -> null;
    };
  }

  /** Which event a stored change makes, or null for none (a task that never ran makes none). */
  static LineageEvents.Type type(TaskRunRecord t) {
    if (t.state() == TaskState.RUNNING) {
      return LineageEvents.Type.START;
    }
    if (!t.state().isTerminal() || t.startedAt() == null) {
      return null;
    }
    return switch (t.state()) {
      case SUCCEEDED -> LineageEvents.Type.COMPLETE;
      case FAILED, TIMED_OUT -> LineageEvents.Type.FAIL;
      case CANCELLED -> LineageEvents.Type.ABORT;
      default -> null;
    };
  }

  // The worker does not block on the queue: a blocked consumer is woken by every event, which on
  // a small machine puts a thread switch on the run's path for each task change. It takes what
  // has queued up every few milliseconds instead, and writes it as one batch.
  private void work() {
    var batch = new ArrayList<Object>();
    while (true) {
      for (Object t = queue.poll(); t != null; t = queue.poll()) {
        batch.add(t);
      }
      queued.addAndGet(-batch.size());
      if (batch.isEmpty()) {
        try {
          Thread.sleep(IDLE_MS);
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      for (Object change : batch) {
        if (change == STOP) {
          flushQuietly();
          return;
        }
        try {
          if (build(change)) {
            deliver(change);
          }
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          dropped.incrementAndGet();
          LOG.warn("cannot build the lineage event of {}: {}", describe(change), e.toString());
        }
      }
      batch.clear();
      flushQuietly(); // a file transport writes what it buffered
    }
  }

  private void flushQuietly() {
    try {
      transport.flush();
    } catch (java.io.IOException e) {
      LOG.warn("lineage: cannot write to {}: {}", transport, e.getMessage());
    }
  }

  // the worker's buffer: each event is written into it and delivered from it
  private final JsonBytes out = new JsonBytes(4096);

  // writes the event into the worker's buffer (no copy is made for a file); false for none
  private boolean build(Object change) {
    if (change instanceof RunRecord r) {
      return buildRun(r);
    }
    build((TaskRunRecord) change);
    return true;
  }

  private boolean buildRun(RunRecord r) {
    LineageEvents.Type type = type(r);
    if (runEvents.get(r.id()) == type) {
      return false; // RUNNING again: started already
    }
    runEvents.put(r.id(), type);
    synchronized (runs) {
      runs.putIfAbsent(r.id(), new CachedRun(r.namespace(), r.flowId(), null, null, null));
    }
    String error = null;
    if (type == LineageEvents.Type.FAIL) {
      error = r.error() == null ? r.state().name() : r.error();
    }
    Instant time = type == LineageEvents.Type.START ? r.startedAt() : r.endedAt();
    out.reset();
    LineageEvents.writeRun(
        out,
        type,
        time == null ? Instant.now() : time,
        r.namespace(),
        r.flowId(),
        r.id(),
        error,
        mask);
    return true;
  }

  private void build(TaskRunRecord t) {
    LineageEvents.Type type = type(t);
    List<DatasetRef> inputs = List.of();
    List<DatasetRef> outputs = List.of();
    Instant time = t.startedAt();
    String error = null;
    if (type != LineageEvents.Type.START) {
      time = t.endedAt();
      // heard before the end was queued; most attempts of a busy server (no-op, control) have none
      TaskAuditRecord a =
          audits.isEmpty() ? null : audits.remove(key(t.runId(), t.taskId(), t.attempt()));
      if (a != null) {
        inputs = AuditJson.decode(a.inputs());
        outputs = AuditJson.decode(a.outputs());
      }
      if (type != LineageEvents.Type.COMPLETE) {
        error = t.error() == null ? t.state().name() : t.error();
      }
    }
    out.reset();
    LineageEvents.write(
        out, type, time, runPart(t.runId()), t.runId(), t, inputs, outputs, error, mask);
  }

  // a run's encoded pieces with the values they were masked from: a secret registered after the
  // run's first event (a task resolved it) makes the pieces be masked and encoded again
  private record CachedRun(
      String namespace,
      String flowId,
      String maskedNamespace,
      String maskedFlowId,
      LineageEvents.RunPart part) {}

  private LineageEvents.RunPart runPart(String runId) {
    synchronized (runs) {
      CachedRun c = runs.get(runId);
      if (c == null) {
        RunRecord r =
            store
                .findRun(runId)
                .orElseThrow(() -> new IllegalStateException("run " + runId + " is not stored"));
        c = new CachedRun(r.namespace(), r.flowId(), null, null, null);
      }
      // the masker gives back the same string when there is nothing to mask: no copy per event
      String ns = mask.apply(c.namespace());
      String flow = mask.apply(c.flowId());
      if (!ns.equals(c.maskedNamespace()) || !flow.equals(c.maskedFlowId())) {
        c =
            new CachedRun(
                c.namespace(),
                c.flowId(),
                ns,
                flow,
                LineageEvents.runPart(c.namespace(), c.flowId(), runId, mask));
        runs.put(runId, c);
      }
      return c.part();
    }
  }

  private static String describe(Object change) {
    if (change instanceof RunRecord r) {
      return "run " + r.id();
    }
    TaskRunRecord t = (TaskRunRecord) change;
    return "task " + t.taskId() + " (attempt " + t.attempt() + ") of run " + t.runId();
  }

  private void deliver(Object change) throws InterruptedException {
    long pause = backoff.toMillis();
    for (int i = 1; ; i++) {
      try {
        transport.send(out.buffer(), 0, out.length());
        sent.incrementAndGet();
        return;
      } catch (java.io.IOException | RuntimeException e) {
        if (i >= tries) {
          dropped.incrementAndGet();
          LOG.warn(
              "lineage event {} of {} dropped after {} tries to {}: {}",
              change instanceof RunRecord r ? type(r) : type((TaskRunRecord) change),
              describe(change),
              i,
              transport,
              e.getMessage());
          return;
        }
        Thread.sleep(pause);
        pause *= 2;
      }
    }
  }

  /**
   * Stops taking events and gives the ones queued up to 10 s to be delivered; what is left then is
   * dropped (and logged).
   */
  @Override
  public void close() {
    closed = true;
    queued.incrementAndGet(); // the worker counts STOP out with the rest
    queue.add(STOP);
    try {
      worker.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      worker.interrupt();
      LOG.warn("lineage: {} event(s) not delivered at shutdown", queued.get());
    }
    transport.close();
  }
}
