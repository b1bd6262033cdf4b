package dev.weir.tasks.queue.nats;

import dev.weir.tasks.queue.BrokerException;
import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.tasks.queue.Source;
import dev.weir.tasks.queue.Subscription;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A durable pull consumer on a JetStream stream, filtered to the subject. The consumer is created
 * or updated on subscribe, so its name ({@code group}) keeps the position across restarts; each
 * message is acknowledged explicitly.
 */
final class NatsSubscription implements Subscription {
  /**
   * How long JetStream waits for an ack before it delivers a message again, at the least; a source
   * held longer ({@link Source#hold}, a trigger's maxWait) gets that plus {@link #ACK_MARGIN}, so
   * that a batch still filling is never redelivered to the next poll while it is held.
   */
  static final Duration ACK_WAIT = Duration.ofSeconds(60);

  /** What a consumer may need beyond its hold to store the runs and acknowledge. */
  static final Duration ACK_MARGIN = Duration.ofSeconds(60);

  /** The ack wait of the durable consumer for {@code source}. */
  static Duration ackWait(Source source) {
    Duration held = source.hold().plus(ACK_MARGIN);
    return held.compareTo(ACK_WAIT) > 0 ? held : ACK_WAIT;
  }

  /**
   * The shortest wait of a fetch, and how long a poll waits for more once its first message came.
   * jnats asks the server to end a pull 10 ms before the fetch stops waiting only when the wait is
   * over 20 ms; with a shorter one a message can arrive after the fetch returned, is in no poll's
   * hands, and comes back only after ACK_WAIT.
   */
  static final Duration SHORTEST_FETCH = Duration.ofMillis(25);

  private final NatsBroker broker;
  private final Source source;
  private final JetStreamSubscription sub;
  // delivered, not acknowledged: handed back at close so they need not wait out ACK_WAIT
  private final java.util.Set<Message> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

  NatsSubscription(NatsBroker broker, Source source) {
    this.broker = broker;
    this.source = source;
    if (source.stream() == null || source.group() == null) {
      throw new IllegalArgumentException("a NATS source needs a stream and a durable name");
    }
    try {
      Connection c = broker.connection();
      c.jetStreamManagement()
          .addOrUpdateConsumer(
              source.stream(),
              ConsumerConfiguration.builder()
                  .durable(source.group())
                  .filterSubject(source.name())
                  .ackPolicy(AckPolicy.Explicit)
                  .ackWait(ackWait(source))
                  .maxAckPending(Math.max(source.prefetch(), 1000))
                  .build());
      this.sub =
          c.jetStream().subscribe(null, PullSubscribeOptions.bind(source.stream(), source.group()));
    } catch (JetStreamApiException e) {
      throw broker.failure(
          "cannot consume subject '"
              + source.name()
              + "' of stream '"
              + source.stream()
              + "'"
              + (e.getApiErrorCode() == 10059
                  ? " (no such stream; add it, e.g. `nats stream add "
                      + source.stream()
                      + " --subjects '"
                      + source.name()
                      + "'`)"
                  : ""),
          e);
    } catch (Exception e) {
      throw broker.failure("cannot consume subject '" + source.name() + "'", e);
    }
  }

  @Override
  public List<IncomingMessage> poll(int max, Duration wait) throws Exception {
    if (broker.connection().getStatus() != Connection.Status.CONNECTED) {
      throw broker.failure(
          "consuming subject '" + source.name() + "' stopped",
          new IllegalStateException("connection " + broker.connection().getStatus()));
    }
    var out = new ArrayList<IncomingMessage>();
    List<Message> fetched;
    try {
      // a fetch of N waits until N came or the wait ended: ask for one, then for what is there
      // now, so that a lone message is not held up for the whole wait
      fetched =
          new ArrayList<>(sub.fetch(1, wait.compareTo(SHORTEST_FETCH) < 0 ? SHORTEST_FETCH : wait));
      if (!fetched.isEmpty() && max > 1) {
        // only as many as wait on the server, so that the fetch ends as soon as they came
        long waiting = sub.getConsumerInfo().getNumPending();
        if (waiting > 0) {
          fetched.addAll(sub.fetch((int) Math.min(max - 1, waiting), SHORTEST_FETCH));
        }
      }
    } catch (IllegalStateException e) { // the connection closed under the fetch
      throw broker.failure("consuming subject '" + source.name() + "' stopped", e);
    }
    for (Message m : fetched) {
      if (m.isJetStream()) {
        pending.add(m);
        out.add(message(m));
      }
    }
    return out;
  }

  private IncomingMessage message(Message m) {
    var headers = new LinkedHashMap<String, String>();
    if (m.getHeaders() != null) {
      m.getHeaders().entrySet().forEach(e -> headers.put(e.getKey(), e.getValue().get(0)));
    }
    var meta = m.metaData();
    return new IncomingMessage(
        Long.toString(meta.streamSequence()),
        headers.get("Nats-Msg-Id"),
        m.getData() == null ? new byte[0] : m.getData(),
        headers,
        m.getSubject(),
        meta.timestamp() == null ? null : meta.timestamp().toInstant(),
        m);
  }

  @Override
  public void ack(List<IncomingMessage> messages) throws Exception {
    for (IncomingMessage m : messages) {
      ((Message) m.receipt()).ack();
      pending.remove((Message) m.receipt());
    }
    try {
      broker.connection().flush(NatsBroker.TIMEOUT);
    } catch (Exception e) {
      throw new BrokerException(
          "nats: acknowledging " + messages.size() + " message(s) failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      for (Message m : pending) {
        m.nak();
      }
      broker.connection().flush(Duration.ofSeconds(2));
    } catch (Exception ignored) {
      // the connection is gone: JetStream delivers them again after ACK_WAIT
    }
    try {
      sub.unsubscribe();
    } catch (RuntimeException ignored) {
      // the connection is gone; the durable consumer keeps the position on the server
    }
  }
}
