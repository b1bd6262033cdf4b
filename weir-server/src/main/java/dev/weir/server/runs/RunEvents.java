package dev.weir.server.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.engine.RunListener;
import dev.weir.expr.Masker;
import dev.weir.flow.TaskDef;
import dev.weir.store.RunRecord;
import dev.weir.store.TaskRunRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Run and task changes of this server as small JSON patches, for whoever watches a run (the UI's
 * run page over SSE). Each watcher has a bounded queue that the run's threads only offer to, so a
 * slow browser never slows a run: when its queue is full it gets a {@code reset} telling it to read
 * the run again.
 */
public final class RunEvents implements RunListener {
  /** What a watcher's queue holds at most before it is told to reset. */
  static final int QUEUE = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One patch: {@code task}, {@code run} or {@code reset}, and its JSON. */
  public record Event(String kind, String json) {}

  /** A watcher of one run; close it when the page goes. */
  public final class Watch implements AutoCloseable {
    private final String runId;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean overflowed;

    private Watch(String runId) {
      this.runId = runId;
    }

    /** The next event, waiting at most {@code millis}; null when none came. */
    public Event next(long millis) throws InterruptedException {
      if (overflowed) {
        overflowed = false;
        queue.clear();
        return new Event("reset", "{}");
      }
      return queue.poll(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void offer(Event e) {
      if (!queue.offer(e)) {
        overflowed = true;
      }
    }

    @Override
    public void close() {
      Set<Watch> set = watches.get(runId);
      if (set != null) {
        set.remove(this);
        watches.computeIfPresent(runId, (k, v) -> v.isEmpty() ? null : v);
      }
    }
  }

  private final Map<String, Set<Watch>> watches = new ConcurrentHashMap<>();
  private final Masker masker;

  public RunEvents(Masker masker) {
    this.masker = masker;
  }

  /** Starts watching a run; events stored from now on reach the watch. */
  public Watch watch(String runId) {
    var w = new Watch(runId);
    watches.computeIfAbsent(runId, k -> ConcurrentHashMap.newKeySet()).add(w);
    return w;
  }

  int watchers() {
    return watches.values().stream().mapToInt(Set::size).sum();
  }

  @Override
  public void runChanged(RunRecord run) {
    Set<Watch> set = watches.get(run.id());
    if (set != null && !set.isEmpty()) {
      var e = new Event("run", run(run).toString());
      set.forEach(w -> w.offer(e));
    }
  }

  @Override
  public void taskChanged(TaskDef task, TaskRunRecord t) {
    Set<Watch> set = watches.get(t.runId());
    if (set != null && !set.isEmpty()) {
      var e = new Event("task", task(t).toString());
      set.forEach(w -> w.offer(e));
    }
  }

  /** A run's patch: its state and times. */
  public ObjectNode run(RunRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", r.id());
    o.put("state", r.state().name());
    o.put("startedAt", str(r.startedAt()));
    o.put("endedAt", str(r.endedAt()));
    o.put("error", r.error() == null ? null : masker.mask(r.error()));
    return o;
  }

  /** A task attempt's patch: state, times and rows, the error masked. */
  public ObjectNode task(TaskRunRecord t) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", t.taskId());
    o.put("attempt", t.attempt());
    o.put("state", t.state().name());
    o.put("queuedAt", str(t.queuedAt()));
    o.put("startedAt", str(t.startedAt()));
    o.put("endedAt", str(t.endedAt()));
    o.put("retryAt", str(t.retryAt()));
    o.put("rows", t.rows());
    o.put("error", t.error() == null ? null : masker.mask(t.error()));
    return o;
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }
}
