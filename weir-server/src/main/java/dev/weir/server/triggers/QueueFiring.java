package dev.weir.server.triggers;

import dev.weir.WeirException;
import dev.weir.flow.trigger.QueueTrigger;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.store.ServerStore;
import dev.weir.tasks.queue.IncomingMessage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a polled batch of messages into runs: each message's dedupe key is computed, keys that
 * fired before are skipped, and the new runs are stored in one transaction with one fire row per
 * message. Only what this returns may be acknowledged: it is stored, or can never start a run.
 */
final class QueueFiring {
  private static final Logger log = LoggerFactory.getLogger(QueueFiring.class);

  private final Firing firing;
  private final ServerStore fires;
  private final InstantSource clock;
  private final QueueDeadLetters deadLetters;

  QueueFiring(
      Firing firing, ServerStore fires, InstantSource clock, dev.weir.store.DeadLetterStore index) {
    this.firing = firing;
    this.fires = fires;
    this.clock = clock;
    this.deadLetters = new QueueDeadLetters(firing.engine(), index, clock);
  }

  /**
   * The messages of one {@link #fire} that start no run: set aside ({@link QueueDeadLetters#keep})
   * before anything of the batch is stored or acknowledged, each once.
   */
  private final class Refusals {
    private final DeployedFlow flow;
    private final QueueTrigger t;
    private final List<QueueDeadLetters.Refused> pending = new ArrayList<>();
    private final java.util.Set<IncomingMessage> kept =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    Refusals(DeployedFlow flow, QueueTrigger t) {
      this.flow = flow;
      this.t = t;
    }

    void add(IncomingMessage m, String dedupeKey, String reason) {
      if (!kept.contains(m)) {
        pending.add(new QueueDeadLetters.Refused(m, dedupeKey, reason));
      }
    }

    /**
     * Stores (or logs) what was refused so far, then records their fires without a run, so that a
     * redelivery, in whatever batch, is skipped instead of set aside again; throws when the letters
     * cannot be stored.
     */
    void keep() {
      if (pending.isEmpty()) {
        return;
      }
      deadLetters.keep(flow, t, pending);
      fires
          .queueFires()
          .markAll(
              flow.flow().namespace(),
              flow.flow().id(),
              t.id(),
              pending.stream().map(QueueDeadLetters.Refused::fireKey).toList(),
              clock.instant());
      pending.forEach(r -> kept.add(r.message()));
      pending.clear();
    }
  }

  /**
   * A polled message with its dedupe key and fire key, or why its key did not render (then its fire
   * key is {@link QueueMessages#unkeyedFireKey}).
   */
  private record Polled(IncomingMessage message, String key, String fireKey, String failure) {}

  /** A message with its dedupe key and what it passes as {@code trigger.*}. */
  private record Keyed(IncomingMessage message, String fireKey, Map<String, Object> data) {}

  /** The messages handled, to acknowledge now; the rest (server stopping) stay unacknowledged. */
  record Handled(List<IncomingMessage> ack, int runs) {}

  Handled fire(DeployedFlow flow, QueueTrigger t, List<IncomingMessage> batch) {
    var refused = new Refusals(flow, t);
    Handled handled = fire(flow, t, batch, refused);
    refused.keep(); // before the caller acknowledges
    return handled;
  }

  private Handled fire(
      DeployedFlow flow, QueueTrigger t, List<IncomingMessage> batch, Refusals refused) {
    var ack = new ArrayList<IncomingMessage>();
    var fresh = new ArrayList<Keyed>();
    String ns = flow.flow().namespace();
    String id = flow.flow().id();
    // every message's fire key first, then one look-up for the batch
    var polled = new ArrayList<Polled>(batch.size());
    for (IncomingMessage m : batch) {
      try {
        String key = key(flow, t, m);
        polled.add(new Polled(m, key, QueueMessages.fireKey(key), null));
      } catch (WeirException e) {
        polled.add(
            new Polled(
                m,
                null,
                QueueMessages.unkeyedFireKey(m),
                "its key does not render: " + e.getMessage()));
      }
    }
    Set<String> fired =
        fires
            .queueFires()
            .firedAmong(ns, id, t.id(), polled.stream().map(Polled::fireKey).toList());
    var seen = new HashSet<String>();
    for (Polled p : polled) {
      IncomingMessage m = p.message();
      String fireKey = p.fireKey();
      if (!seen.add(fireKey) || fired.contains(fireKey)) {
        // its run exists, or it was set aside: a redelivery starts nothing and is kept once
        if (p.failure() == null) {
          log.debug(
              "{} trigger {} of {}: message {} fired before",
              t.type(),
              t.id(),
              flow.key(),
              fireKey);
        } else {
          skippedUnkeyed(flow, t, m, fireKey);
        }
        ack.add(m);
      } else if (p.failure() != null) {
        refused.add(m, fireKey, p.failure());
        ack.add(m);
      } else {
        fresh.add(new Keyed(m, fireKey, QueueMessages.data(t, m, p.key())));
      }
    }
    if (fresh.isEmpty()) {
      return new Handled(ack, 0);
    }
    if (!firing.launcher().accepting()) {
      return new Handled(ack, 0); // stopping: the fresh ones come back to the next consumer
    }
    int runs =
        flow.flow().concurrency() != null
            ? oneByOne(flow, t, fresh, ack, refused)
            : together(flow, t, fresh, ack, refused);
    return new Handled(ack, runs);
  }

  // known only by its broker id or its content: say so where an operator looks, since a distinct
  // message with the same content (a second identical reading) is dropped as its redelivery
  private void skippedUnkeyed(
      DeployedFlow flow, QueueTrigger t, IncomingMessage m, String fireKey) {
    log.warn(
        "{} trigger {} of {}: a message whose key does not render ({}, {} bytes from {}) was"
            + " acknowledged as a redelivery of one set aside before (fire key {}); nothing new was"
            + " kept. A distinct message with the same {} counts as that one: give the messages an"
            + " id or fix the trigger's `key:`",
        t.type(),
        t.id(),
        flow.key(),
        m.id() == null ? "no message id" : "message id " + mask(m.id()),
        m.body().length,
        mask(m.source()),
        mask(fireKey),
        m.id() == null ? "source and body" : "message id");
  }

  private String mask(String text) {
    return text == null ? null : firing.engine().masker().mask(text);
  }

  private String key(DeployedFlow flow, QueueTrigger t, IncomingMessage m) {
    String key = QueueMessages.dedupeKey(firing.engine(), flow.flow(), t, m);
    if (key != null) {
      return key;
    }
    // a RabbitMQ message published without a message id: nothing identifies a redelivery
    log.warn(
        "{} trigger {} of {}: a message has no message id and the trigger no `key:`; a redelivery"
            + " of it would start a second run",
        t.type(),
        t.id(),
        flow.key());
    return "no-id:" + UUID.randomUUID();
  }

  /** The runs of these messages and their fire rows in one transaction (one run per batch). */
  private int together(
      DeployedFlow flow,
      QueueTrigger t,
      List<Keyed> fresh,
      List<IncomingMessage> ack,
      Refusals refused) {
    var prepared = new ArrayList<RunLauncher.Prepared>();
    var rows = new ArrayList<ServerStore.Fire>();
    var handled = new ArrayList<IncomingMessage>();
    if (t.maxBatch() == 1) {
      for (Keyed k : fresh) {
        String runId = prepare(flow, t, k.data(), List.of(k), prepared, refused);
        if (runId != null) { // a refused message's fire is recorded with its letter
          rows.add(fire(flow, t, k, runId));
        }
        handled.add(k.message());
      }
    } else {
      var data = QueueMessages.batch(t, fresh.stream().map(Keyed::data).toList());
      String runId = prepare(flow, t, data, fresh, prepared, refused);
      for (Keyed k : fresh) {
        if (runId != null) {
          rows.add(fire(flow, t, k, runId));
        }
        handled.add(k.message());
      }
    }
    // the letters first: once the fire rows are stored, a redelivery would start nothing
    refused.keep();
    if (prepared.isEmpty()) {
      ack.addAll(handled);
      return 0;
    }
    try {
      firing.launcher().launchAll(prepared, c -> ServerStore.write(c, rows, List.of()));
    } catch (WeirException e) {
      if (fresh.size() == 1 || !firing.launcher().accepting()) {
        throw e; // nothing stored: the messages stay unacknowledged and come back
      }
      // a key stored meanwhile (another node, a redelivery on a second consumer): one by one
      log.info(
          "{} trigger {} of {}: storing one by one: {}",
          t.type(),
          t.id(),
          flow.key(),
          e.getMessage());
      int runs = 0;
      for (Keyed k : fresh) {
        runs += together(flow, t, List.of(k), ack, refused);
      }
      return runs;
    }
    ack.addAll(handled);
    for (var p : prepared) {
      log.info(
          "{} trigger {} of {} started run {}", t.type(), t.id(), flow.key(), p.run().run().id());
    }
    return prepared.size();
  }

  /** Prepares a run; null (and a warning) when none can be made for these messages. */
  private String prepare(
      DeployedFlow flow,
      QueueTrigger t,
      Map<String, Object> data,
      List<Keyed> messages,
      List<RunLauncher.Prepared> into,
      Refusals refused) {
    try {
      var inputs = firing.engine().renderTriggerInputs(flow.flow(), t.type(), t.inputs(), data);
      var p =
          firing.launcher().prepare(flow, new RunLauncher.Request(inputs, t.type(), null, data));
      into.add(p);
      return p.run().run().id();
    } catch (WeirException e) {
      // stopping, or the flow disabled since this batch was polled: not the messages' fault,
      // so nothing is set aside or acknowledged and they come back
      if (!firing.launcher().accepting() || e instanceof RunLauncher.FlowDisabledException) {
        throw e;
      }
      for (Keyed k : messages) {
        refused.add(k.message(), k.fireKey(), e.getMessage());
      }
      return null;
    }
  }

  /** Flows with a concurrency limit start their runs through the launcher's count, one by one. */
  private int oneByOne(
      DeployedFlow flow,
      QueueTrigger t,
      List<Keyed> fresh,
      List<IncomingMessage> ack,
      Refusals refused) {
    String ns = flow.flow().namespace();
    String id = flow.flow().id();
    int runs = 0;
    List<List<Keyed>> groups =
        t.maxBatch() == 1 ? fresh.stream().map(List::of).toList() : List.of(fresh);
    for (List<Keyed> group : groups) {
      var marked = new ArrayList<Keyed>();
      for (Keyed k : group) {
        if (fires.markFired(ns, id, t.id(), k.fireKey(), clock.instant())) {
          marked.add(k);
        } else {
          ack.add(k.message());
        }
      }
      if (marked.isEmpty()) {
        continue;
      }
      Map<String, Object> data =
          t.maxBatch() == 1
              ? marked.get(0).data()
              : QueueMessages.batch(t, marked.stream().map(Keyed::data).toList());
      boolean skipped = false;
      try {
        var inputs = firing.engine().renderTriggerInputs(flow.flow(), t.type(), t.inputs(), data);
        var started =
            firing.launcher().start(flow, new RunLauncher.Request(inputs, t.type(), null, data));
        if (started.run().isPresent()) {
          for (Keyed k : marked) {
            fires.setFiredRun(ns, id, t.id(), k.fireKey(), started.run().get().id());
          }
          runs++;
        } else {
          // onLimit: skip refused the run: like a message whose run cannot start, it is set
          // aside when the trigger has deadLetter:, not dropped without a trace
          log.warn(
              "{} trigger {} of {}: the flow's concurrency skipped the run of {} message(s): {}",
              t.type(),
              t.id(),
              flow.key(),
              marked.size(),
              started.reason());
          marked.forEach(k ->
              refused.add(
                  k.message(),
                  k.fireKey(),
                  "the flow's concurrency limit skipped its run (onLimit: skip): "
                      + started.reason()));
          skipped = true;
        }
      } catch (WeirException e) {
        if (!firing.launcher().accepting() || e instanceof RunLauncher.FlowDisabledException) {
          marked.forEach(k -> fires.unmarkFired(ns, id, t.id(), k.fireKey()));
          continue; // stopping: they stay unacknowledged and come back
        }
        marked.forEach(k -> refused.add(k.message(), k.fireKey(), e.getMessage()));
        try {
          refused.keep();
        } catch (WeirException notKept) {
          // marked as fired, but neither started nor kept: the redelivery must be handled again
          marked.forEach(k -> fires.unmarkFired(ns, id, t.id(), k.fireKey()));
          throw notKept;
        }
      }
      if (skipped) {
        try {
          refused.keep();
        } catch (WeirException notKept) {
          marked.forEach(k -> fires.unmarkFired(ns, id, t.id(), k.fireKey()));
          throw notKept;
        }
      }
      marked.forEach(k -> ack.add(k.message()));
    }
    return runs;
  }

  private ServerStore.Fire fire(DeployedFlow flow, QueueTrigger t, Keyed k, String runId) {
    return new ServerStore.Fire(
        flow.flow().namespace(), flow.flow().id(), t.id(), k.fireKey(), clock.instant(), runId);
  }
}
