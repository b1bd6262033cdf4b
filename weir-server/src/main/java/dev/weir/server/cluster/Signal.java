package dev.weir.server.cluster;

import java.util.Optional;

/**
 * What one node of a cluster tells the others (and itself) on the PostgreSQL channel {@value
 * #CHANNEL}: there may be work for you now. A signal only makes a node look sooner; what it finds
 * is read from the store, as at its heartbeat or scan, so a lost signal costs latency and nothing
 * else.
 *
 * <p>The payload names the kind: {@code queue:<namespace>/<flow>} (a run of a flow with a
 * concurrency limit ended: its queue may have room), {@code flows} (a revision, the enabled flag or
 * the removal of a flow was stored), {@code runs} (a node left: its runs are orphans now), {@code
 * attempts} (a task attempt was queued for workers), {@code results} (a worker stored one's result)
 * or {@code taken:<run>} (a node took the run over).
 *
 * @param subject the flow of a {@code queue} signal ({@code namespace/flow}), else null
 */
public record Signal(Kind kind, String subject) {
  /** The one channel every node listens on. */
  public static final String CHANNEL = "weir_work";

  public static final Signal FLOWS = new Signal(Kind.FLOWS, null);
  public static final Signal RUNS = new Signal(Kind.RUNS, null);

  /** What a signal is about, and so what a node does when it hears it. */
  public enum Kind {
    /** A limited flow may have room: the worker drains the queues now. */
    QUEUE,
    /** The stored flows changed: the node takes the revisions now. */
    FLOWS,
    /** A node left: the worker adopts its runs now. */
    RUNS,
    /** A task attempt was queued for workers: they claim now (sent by the store's write). */
    ATTEMPTS,
    /** A worker stored an attempt's result: the coordinators read it now (sent by the store). */
    RESULTS,
    /**
     * A node took a run over (a cancel or a forced resume asked of it): the node executing it
     * checks its claim now and stops the run's attempts, instead of at its next write.
     */
    TAKEN;

    String prefix() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Signal {
    if (kind == null) {
      throw new IllegalArgumentException("a signal needs a kind");
    }
  }

  /** A run of this flow ended: the flow's queue may have room. */
  public static Signal queue(String namespace, String flowId) {
    return new Signal(Kind.QUEUE, namespace + "/" + flowId);
  }

  /** Run {@code runId} was taken over by the sender. */
  public static Signal taken(String runId) {
    return new Signal(Kind.TAKEN, runId);
  }

  /** The text sent with {@code NOTIFY}. */
  public String payload() {
    return subject == null ? kind.prefix() : kind.prefix() + ":" + subject;
  }

  /**
   * The signal a payload carries; empty for one this version does not know (a newer node's), which
   * is ignored.
   */
  public static Optional<Signal> parse(String payload) {
    if (payload == null) {
      return Optional.empty();
    }
    int colon = payload.indexOf(':');
    String prefix = colon < 0 ? payload : payload.substring(0, colon);
    String subject = colon < 0 ? null : payload.substring(colon + 1);
    for (Kind k : Kind.values()) {
      if (k.prefix().equals(prefix)) {
        return Optional.of(new Signal(k, subject));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return payload();
  }
}
