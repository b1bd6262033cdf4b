package dev.weir.bench;

import dev.weir.store.AttemptTicket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * When each routed attempt went through each step of the attempt queue ({@link System#nanoTime},
 * the coordinator and the workers in one JVM), and how many queue statements the nodes made: what
 * the polling on both sides costs in time and in queries.
 */
final class AttemptTimes {
  /** A step of an attempt, in the order it happens. */
  enum Step {
    /** The coordinator's INSERT returned: workers can see it. */
    ENQUEUED,
    /** A worker's claim returned it: the worker has it. */
    CLAIMED,
    /** The worker's result was stored (DONE). */
    FINISHED,
    /** The coordinator's poll read it DONE. */
    SEEN,
    /** The coordinator deleted the row. */
    DROPPED
  }

  /** One attempt's steps; 0 for a step not reached. */
  record Attempt(String runId, String taskId, AtomicLongArray at) {
    long at(Step s) {
      return at.get(s.ordinal());
    }

    /** Nanoseconds from one step to another, or -1 when either is missing. */
    long between(Step from, Step to) {
      long a = at(from);
      long b = at(to);
      return a == 0 || b == 0 ? -1 : b - a;
    }
  }

  /** Statements on the queue, counted since the start. */
  enum Call {
    ENQUEUE,
    CLAIM_HIT,
    CLAIM_EMPTY,
    STATES,
    FINISH,
    DROP,
    LOST,
    REQUEUE_ORPHANS
  }

  private final Map<Long, Attempt> byId = new ConcurrentHashMap<>();
  private final LongAdder[] calls = new LongAdder[Call.values().length];
  // a worker's claim loop, one thread per worker: each successful claim statement's time, and the
  // time from its return to that thread's next claim (the attempt's preparation runs on it)
  private final List<long[]> claimLoop = new ArrayList<>();

  AttemptTimes() {
    for (int i = 0; i < calls.length; i++) {
      calls[i] = new LongAdder();
    }
  }

  void enqueued(long id, AttemptTicket t, long nanos) {
    var a = new Attempt(t.runId(), t.taskId(), new AtomicLongArray(Step.values().length));
    a.at.set(Step.ENQUEUED.ordinal(), nanos);
    byId.put(id, a);
  }

  /** Notes the first time attempt {@code id} reached {@code step}. */
  void reached(long id, Step step, long nanos) {
    Attempt a = byId.get(id);
    if (a != null) {
      a.at.compareAndSet(step.ordinal(), 0, nanos);
    }
  }

  void called(Call c) {
    calls[c.ordinal()].increment();
  }

  /** The counts of every statement so far, by {@link Call} ordinal. */
  long[] calls() {
    long[] out = new long[calls.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = calls[i].sum();
    }
    return out;
  }

  /**
   * Notes one successful claim: when it started and ended, and when the same worker's next claim
   * started (0 when there was none).
   */
  synchronized void claimLoop(long start, long end, long nextStart) {
    claimLoop.add(new long[] {start, end, nextStart});
  }

  /** {start, end, next claim's start} of each successful claim so far. */
  synchronized List<long[]> claimLoop() {
    return List.copyOf(claimLoop);
  }

  List<Attempt> all() {
    return new ArrayList<>(byId.values());
  }

  int size() {
    return byId.size();
  }

  synchronized void clear() {
    byId.clear();
    claimLoop.clear();
  }
}
