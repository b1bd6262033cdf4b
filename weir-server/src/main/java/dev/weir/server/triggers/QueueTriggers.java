package dev.weir.server.triggers;

import dev.weir.flow.trigger.QueueTrigger;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.store.ServerStore;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue triggers ({@code type: rabbitmq | nats | mqtt | kafka}) of the deployed flows: one
 * {@link QueueConsumer} per enabled trigger of an enabled flow, started and stopped by {@link
 * #sync} as flows are deployed, changed, disabled or removed. In a cluster only the node that leads
 * the flows directory consumes: an MQTT session or a Kafka group is one client, and one consumer
 * keeps a queue's order.
 */
public final class QueueTriggers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueTriggers.class);

  private final FlowRegistry flows;
  private final QueueFiring firing;
  private final Firing engineFiring;
  private final BooleanSupplier leads;
  private final ServerStore fires;
  private final InstantSource clock;
  private final Map<String, Running> running = new HashMap<>();
  private volatile Runnable beforeAck = () -> {};
  private boolean closed;

  /** A consumer and the trigger definition it was started for. */
  private record Running(QueueTrigger trigger, QueueConsumer consumer) {}

  QueueTriggers(
      FlowRegistry flows,
      ServerStore fires,
      Firing firing,
      dev.weir.store.DeadLetterStore deadLetters,
      InstantSource clock,
      BooleanSupplier leads) {
    this.flows = flows;
    this.engineFiring = firing;
    this.firing = new QueueFiring(firing, fires, clock, deadLetters);
    this.leads = leads;
    this.fires = fires;
    this.clock = clock;
  }

  /**
   * How long a queue trigger's fires are kept: far beyond any redelivery of an acknowledged-late
   * message (a lost ack comes back within the broker's ack wait or at reconnection). Only a
   * consumer reset to the start of a stream keeping messages longer than this starts their runs
   * again. Schedules, file and flow triggers keep their fires: a slot or a path must never fire
   * twice.
   */
  public static final java.time.Duration FIRE_RETENTION = java.time.Duration.ofDays(30);

  /**
   * Deletes the fires of the deployed flows' queue triggers older than {@link #FIRE_RETENTION} (the
   * server's housekeeping calls this hourly); returns how many.
   */
  public int forgetOldFires() {
    java.time.Instant before = clock.instant().minus(FIRE_RETENTION);
    int n = 0;
    for (DeployedFlow f : flows.all()) {
      for (var t : f.flow().triggers()) {
        if (t instanceof QueueTrigger q) {
          n += fires.queueFires().forgetBefore(f.flow().namespace(), f.flow().id(), q.id(), before);
        }
      }
    }
    if (n > 0) {
      log.info("forgot {} queue trigger fire(s) older than {}", n, FIRE_RETENTION);
    }
    return n;
  }

  /** Starts the consumers of triggers that should run and stops the others. */
  synchronized void sync() {
    if (closed) {
      return;
    }
    var wanted = new LinkedHashMap<String, Map.Entry<DeployedFlow, QueueTrigger>>();
    if (leads.getAsBoolean() && engineFiring.launcher().accepting()) {
      for (DeployedFlow f : flows.all()) {
        if (!f.enabled()) {
          continue;
        }
        for (var t : f.flow().triggers()) {
          if (t instanceof QueueTrigger q && !q.disabled()) {
            wanted.put(f.key() + "#" + q.id(), Map.entry(f, q));
          }
        }
      }
    }
    var stopping = new java.util.ArrayList<QueueConsumer>();
    for (var it = running.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      var want = wanted.get(e.getKey());
      QueueConsumer c = e.getValue().consumer();
      boolean reconnect = want != null && !c.stopped() && c.connectionChanged();
      if (reconnect) {
        log.info(
            "{}: connection '{}' changed in weir.yaml; restarting the consumer",
            c.describe(),
            e.getValue().trigger().connection());
      }
      if (want == null
          || !want.getValue().equals(e.getValue().trigger())
          || c.stopped()
          || reconnect) {
        c.requestStop(); // all told first, then awaited: each may be finishing a batch
        stopping.add(c);
        it.remove();
      }
    }
    for (QueueConsumer c : stopping) {
      c.stop();
      log.info("{}: stopped consuming", c.describe());
    }
    wanted.forEach((id, w) -> {
      if (!running.containsKey(id)) {
        DeployedFlow f = w.getKey();
        QueueTrigger t = w.getValue();
        var c =
            new QueueConsumer(
                flows,
                f,
                t,
                firing,
                engineFiring.engine().masker(),
                s -> engineFiring.engine().renderForTrigger(f.flow(), s, t.type(), null));
        c.beforeAck(() -> beforeAck.run());
        running.put(id, new Running(t, c));
        c.start();
      }
    });
  }

  /** How many triggers are being consumed here. */
  public synchronized int consuming() {
    return running.size();
  }

  /**
   * For tests: runs after a batch's runs are stored and before its messages are acknowledged; a
   * hook that throws makes the consumer drop its subscription without acknowledging, as a crash
   * would.
   */
  public void beforeAck(Runnable hook) {
    this.beforeAck = hook;
  }

  /** Stops every consumer; what they had not acknowledged goes back to the brokers. */
  @Override
  public synchronized void close() {
    closed = true;
    running.values().forEach(r -> r.consumer().requestStop());
    running.values().forEach(r -> r.consumer().stop());
    running.clear();
  }
}
