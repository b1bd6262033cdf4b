package dev.weir.server.triggers;

import dev.weir.config.ConnectionConfig;
import dev.weir.config.ProjectConfig;
import dev.weir.flow.trigger.QueueTrigger;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.tasks.queue.Broker;
import dev.weir.tasks.queue.Brokers;
import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.tasks.queue.Source;
import dev.weir.tasks.queue.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue trigger on a virtual thread: connect, subscribe, gather a batch (up to {@code
 * maxBatch} within {@code maxWait}), hand it to {@link QueueFiring}, acknowledge what it stored.
 * When the broker is down or goes away, it connects again with capped exponential backoff and says
 * so once per outage.
 */
final class QueueConsumer {
  private static final Logger log = LoggerFactory.getLogger(QueueConsumer.class);
  static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  static final Duration LONGEST_BACKOFF = Duration.ofSeconds(30);

  /** How long one poll waits while nothing arrives, so that a stop is noticed soon. */
  private static final Duration IDLE_POLL = Duration.ofMillis(500);

  /**
   * How many messages one poll takes with {@code maxBatch: 1}: each still gets its own run, but the
   * runs of one poll are stored in one transaction, and the broker is asked once, not per message.
   */
  static final int UNBATCHED_POLL = 100;

  private final FlowRegistry flows;
  private final DeployedFlow deployed;
  private final QueueTrigger trigger;
  private final QueueFiring firing;
  private final dev.weir.expr.Masker masker;
  private final java.util.function.UnaryOperator<String> render;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile Runnable beforeAck = () -> {};
  // the connection as last opened, and the weir.yaml it was read from
  private volatile ConnectionConfig connected;
  private volatile ProjectFileStamp stamp;

  QueueConsumer(
      FlowRegistry flows,
      DeployedFlow deployed,
      QueueTrigger trigger,
      QueueFiring firing,
      dev.weir.expr.Masker masker,
      java.util.function.UnaryOperator<String> render) {
    this.flows = flows;
    this.deployed = deployed;
    this.trigger = trigger;
    this.firing = firing;
    this.masker = masker;
    this.render = render;
    this.thread =
        Thread.ofVirtual()
            .name("weir-queue-" + deployed.key() + "-" + trigger.id())
            .unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** For tests: runs between storing a batch's runs and acknowledging its messages. */
  void beforeAck(Runnable hook) {
    this.beforeAck = hook;
  }

  String describe() {
    return trigger.type() + " trigger " + trigger.id() + " of " + deployed.key();
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    String outage = null;
    while (!stopped) {
      try (Broker broker = Brokers.open(connection());
          Subscription sub = broker.subscribe(source())) {
        if (outage != null) {
          log.info("{}: consuming {} again", describe(), trigger.source());
        } else {
          log.info("{}: consuming {}", describe(), trigger.source());
        }
        outage = null;
        backoff = FIRST_BACKOFF;
        while (!stopped) {
          List<IncomingMessage> batch = gather(sub);
          if (!batch.isEmpty() && !stopped) {
            handle(sub, batch);
          }
        }
      } catch (InterruptedException e) {
        if (!stopped) {
          Thread.currentThread().interrupt();
        }
        return;
      } catch (Exception e) {
        if (stopped) {
          return;
        }
        String reason = masker.mask(e.getMessage() == null ? e.toString() : e.getMessage());
        if (outage == null) { // once per outage, not at every attempt
          log.warn(
              "{} cannot consume {}: {}; trying again with backoff up to {}s (acknowledged"
                  + " messages are safe, the others come back)",
              describe(),
              trigger.source(),
              reason,
              LONGEST_BACKOFF.toSeconds());
        }
        outage = reason;
        if (!sleep(backoff)) {
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0
                ? LONGEST_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  /** Up to maxBatch messages: waits for the first, then at most maxWait for the batch to fill. */
  private List<IncomingMessage> gather(Subscription sub) throws Exception {
    if (trigger.maxBatch() == 1) {
      return sub.poll(UNBATCHED_POLL, IDLE_POLL); // what is there, once one message is
    }
    var batch = new ArrayList<IncomingMessage>(sub.poll(trigger.maxBatch(), IDLE_POLL));
    if (batch.isEmpty()) {
      return batch;
    }
    long deadline = System.nanoTime() + trigger.maxWait().toNanos();
    while (batch.size() < trigger.maxBatch() && !stopped) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      // in steps, so that a stop is noticed within one idle poll even with a long maxWait
      batch.addAll(
          sub.poll(
              trigger.maxBatch() - batch.size(),
              Duration.ofNanos(Math.min(left, IDLE_POLL.toNanos()))));
    }
    return batch;
  }

  private void handle(Subscription sub, List<IncomingMessage> batch) throws Exception {
    // the flow as deployed now: a new revision with the same trigger keeps this consumer; a flow
    // disabled or removed, or its trigger changed, since the last sync takes none of this batch
    // (it goes back to the broker when the subscription closes) and this consumer stops
    DeployedFlow flow = flows.get(deployed.key()).orElse(null);
    if (flow == null
        || !flow.enabled()
        || flow.flow().triggers().stream().noneMatch(t -> t.equals(trigger) && !t.disabled())) {
      log.info(
          "{}: the flow or trigger changed; not taking {} message(s)", describe(), batch.size());
      stopped = true;
      return;
    }
    // with maxBatch 1 still one transaction for what one poll brought, one run per message
    List<IncomingMessage> toAck = firing.fire(flow, trigger, batch).ack();
    beforeAck.run();
    if (!toAck.isEmpty()) {
      sub.ack(toAck);
    }
  }

  /**
   * Whether the trigger's connection in weir.yaml differs from the one this consumer opened: the
   * file is read again only when its modification time or size changed. A weir.yaml that no longer
   * reads (or lost the connection) keeps the consumer as it is; connecting again would only fail.
   */
  boolean connectionChanged() {
    ConnectionConfig opened = connected;
    ProjectFileStamp then = stamp;
    if (opened == null || then == null) {
      return false; // not connected yet: the next attempt reads weir.yaml anyway
    }
    ProjectFileStamp now = ProjectFileStamp.of(deployed.file().getParent());
    if (now.equals(then)) {
      return false;
    }
    stamp = now;
    try {
      return !readConnection().equals(opened);
    } catch (RuntimeException e) {
      log.warn(
          "{}: weir.yaml changed but its connection '{}' does not read ({}); consuming on as"
              + " before",
          describe(),
          trigger.connection(),
          masker.mask(String.valueOf(e.getMessage())));
      return false;
    }
  }

  private ConnectionConfig connection() {
    ProjectFileStamp before = ProjectFileStamp.of(deployed.file().getParent());
    ConnectionConfig c = readConnection();
    connected = c;
    stamp = before;
    return c;
  }

  private ConnectionConfig readConnection() {
    ConnectionConfig c =
        ProjectConfig.find(deployed.file().getParent()).connection(trigger.connection(), render);
    if (!trigger.type().equals(c.type())) {
      throw new dev.weir.WeirException(
          "connection '"
              + c.name()
              + "' is a "
              + c.type()
              + " connection; a "
              + trigger.type()
              + " trigger needs a `type: "
              + trigger.type()
              + "` connection in weir.yaml");
    }
    return c;
  }

  private Source source() {
    // the broker may hand over a few batches ahead, so that the next one is there when asked for
    return new Source(
        trigger.source(),
        trigger.stream(),
        trigger.group(),
        Math.max(trigger.maxBatch(), UNBATCHED_POLL) * 2,
        trigger.maxBatch() == 1 ? IDLE_POLL : trigger.maxWait());
  }

  // in steps, so that a stop is noticed without interrupting (an interrupt can close the store's
  // file channel mid-write on H2)
  private boolean sleep(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    try {
      while (!stopped && System.nanoTime() < until) {
        Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      }
      return !stopped;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** True once this consumer stopped or was told to: a new one must take over its trigger. */
  boolean stopped() {
    return stopped;
  }

  /** Tells this consumer to stop, without waiting (see {@link #stop}). */
  void requestStop() {
    stopped = true;
  }

  /** Stops consuming; messages not acknowledged go back to the broker. Waits for the batch. */
  void stop() {
    stopped = true;
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
