package dev.weir.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.weir.engine.RunListener;
import dev.weir.expr.Masker;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task log lines as JSON lines on disk, one file per run: {@code
 * <dir>/<namespace>/<flow>/<runId>.jsonl}, each line {@code {"@timestamp", "level", "logger",
 * "message", "run_id", "flow", "task", "attempt"}} (the names of {@link LogFields}, as in the
 * server's JSON log). The same lines as the store's, masked again on the way out. A listener of the
 * engine: lines are queued on the task's thread and appended by one background thread, a batch per
 * run at a time, so a chatty task never waits on the disk.
 */
public final class JsonLogFiles implements RunListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLogFiles.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final int BATCH = 2000;
  private static final long IDLE_NANOS = 100_000_000; // a line reaches its file within 0.1 s

  private final Path dir;
  private final StateStore store;
  private final Masker masker;
  private final Map<String, Where> runs = new ConcurrentHashMap<>();
  // lock-free: adding a line costs a task thread one CAS
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final Object writeLock = new Object();
  private final Thread writer;
  private volatile boolean closed;

  private record Where(String namespace, String flowId) {}

  private record Ended(String runId) {}

  /**
   * @param dir the root of the log files ({@code <home>/logs} by default)
   * @param store where the flow of a run is looked up when its lines come before the run is known
   * @param masker applied to every message once more
   */
  public JsonLogFiles(Path dir, StateStore store, Masker masker) {
    this.dir = dir;
    this.store = store;
    this.masker = masker;
    this.writer = Thread.ofPlatform().daemon().name("weir-log-files").start(this::loop);
  }

  public Path dir() {
    return dir;
  }

  /** Where the lines of a run are written. */
  public static Path file(Path dir, String namespace, String flowId, String runId) {
    return dir.resolve(segment(namespace))
        .resolve(segment(flowId))
        .resolve(segment(runId) + ".jsonl");
  }

  @Override
  public void runChanged(RunRecord run) {
    if (run.state().isTerminal()) {
      queue.add(new Ended(run.id())); // forgotten once the lines before it are written
    } else if (!runs.containsKey(run.id())) {
      runs.put(run.id(), new Where(run.namespace(), run.flowId()));
    }
  }

  @Override
  public void logged(LogLine line) {
    if (!closed) {
      queue.add(line);
    }
  }

  /** Writes every line queued so far before returning. */
  public void flush() {
    synchronized (writeLock) {
      while (drain() > 0) {
        // until the queue is empty
      }
    }
  }

  private void loop() {
    while (!closed) {
      int n;
      synchronized (writeLock) {
        n = drain();
      }
      if (n == 0) {
        LockSupport.parkNanos(IDLE_NANOS);
      }
    }
  }

  // writes up to one batch; returns how many items it took
  private int drain() {
    var batch = new ArrayList<Object>();
    for (Object o = queue.poll(); o != null; o = batch.size() < BATCH ? queue.poll() : null) {
      batch.add(o);
    }
    if (!batch.isEmpty()) {
      write(batch);
    }
    return batch.size();
  }

  private void write(List<Object> batch) {
    var byRun = new LinkedHashMap<String, List<LogLine>>();
    var ended = new ArrayList<String>();
    for (Object o : batch) {
      if (o instanceof LogLine l) {
        byRun.computeIfAbsent(l.runId(), k -> new ArrayList<>()).add(l);
      } else if (o instanceof Ended e) {
        ended.add(e.runId());
      }
    }
    byRun.forEach(this::append);
    ended.forEach(runs::remove);
  }

  private void append(String runId, List<LogLine> lines) {
    try {
      Where w = where(runId);
      var text = new StringBuilder();
      for (LogLine l : lines) {
        text.append(json(l, w)).append('\n');
      }
      Path f = file(dir, w.namespace(), w.flowId(), runId);
      try {
        appendTo(f, text);
      } catch (java.nio.file.NoSuchFileException e) {
        appendTo(f, text); // log retention removed the flow's empty folder just now
      }
    } catch (IOException | RuntimeException e) {
      // the lines are in the store still; files must never fail a run
      LOG.warn("could not write the log file of run {}: {}", runId, e.toString());
    }
  }

  private static void appendTo(Path f, CharSequence text) throws IOException {
    Files.createDirectories(f.getParent());
    Files.writeString(
        f,
        text,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }

  private Where where(String runId) {
    Where w = runs.get(runId);
    if (w != null) {
      return w;
    }
    // a late line of a run already forgotten, or of a run started before this listener
    return store
        .findRun(runId)
        .map(r -> new Where(r.namespace(), r.flowId()))
        .orElse(new Where("_unknown", "_unknown"));
  }

  private String json(LogLine l, Where w) {
    var out = new StringWriter(128 + l.message().length());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField(LogFields.TIMESTAMP, l.time().toString());
      g.writeStringField(LogFields.LEVEL, l.level());
      g.writeStringField(LogFields.LOGGER, LogFields.TASK_LOGGER);
      g.writeStringField(LogFields.MESSAGE, masker.mask(l.message()));
      g.writeStringField(LogFields.RUN_ID, l.runId());
      g.writeStringField(LogFields.FLOW, LogFields.flow(w.namespace(), w.flowId()));
      g.writeStringField(LogFields.TASK, l.taskId());
      g.writeNumberField(LogFields.ATTEMPT, l.attempt());
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  // names are [a-z0-9_.-] already; anything else must not make a path
  private static String segment(String s) {
    String clean = s == null ? "_" : s.replaceAll("[^A-Za-z0-9_.-]", "_");
    return clean.isEmpty() || clean.equals(".") || clean.equals("..") ? "_" : clean;
  }

  /** Writes what is queued and stops the writer. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
