package dev.weir.tasks.queue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.tasks.queue.Source;
import dev.weir.tasks.queue.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue consumed with manual acks; {@code basicQos(prefetch)} bounds what the broker hands over
 * before Weir acknowledges. Deliveries arrive on the client's thread and wait here for {@link
 * #poll}.
 */
final class RabbitSubscription implements Subscription {
  private final RabbitBroker broker;
  private final Channel channel;
  private final Source source;
  private final LinkedBlockingQueue<IncomingMessage> arrived = new LinkedBlockingQueue<>();
  private volatile ShutdownSignalException shutdown;
  private volatile boolean cancelled;

  RabbitSubscription(RabbitBroker broker, Channel channel, Source source) throws Exception {
    this.broker = broker;
    this.channel = channel;
    this.source = source;
    channel.basicQos(source.prefetch());
    channel.basicConsume(
        source.name(),
        false,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            arrived.add(message(envelope, props, body));
          }

          @Override
          public void handleShutdownSignal(String tag, ShutdownSignalException sig) {
            shutdown = sig;
          }

          // the broker ended the consumer while the channel stays open: the queue was deleted,
          // or its node went down (a mirrored or quorum queue failing over)
          @Override
          public void handleCancel(String tag) {
            cancelled = true;
          }
        });
  }

  private IncomingMessage message(Envelope envelope, AMQP.BasicProperties props, byte[] body) {
    var headers = new LinkedHashMap<String, String>();
    if (props.getHeaders() != null) {
      props.getHeaders().forEach((k, v) -> headers.put(k, v == null ? null : v.toString()));
    }
    return new IncomingMessage(
        props.getMessageId(),
        props.getMessageId(),
        body,
        headers,
        source.name(),
        props.getTimestamp() == null ? null : props.getTimestamp().toInstant(),
        envelope.getDeliveryTag());
  }

  @Override
  public List<IncomingMessage> poll(int max, Duration wait) throws Exception {
    var out = new ArrayList<IncomingMessage>();
    IncomingMessage first = arrived.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (first == null) {
      checkOpen();
      return out;
    }
    out.add(first);
    arrived.drainTo(out, max - 1);
    return out;
  }

  private void checkOpen() {
    if (cancelled) {
      throw broker.failure(
          "RabbitMQ cancelled the consumer of queue '"
              + source.name()
              + "' (the queue was deleted, or its node went away)",
          new IllegalStateException("consumer cancelled by the broker"));
    }
    if (shutdown != null || !channel.isOpen()) {
      throw broker.failure(
          "consuming queue '" + source.name() + "' stopped",
          shutdown != null ? shutdown : new IllegalStateException("channel closed"));
    }
  }

  @Override
  public void ack(List<IncomingMessage> messages) throws Exception {
    for (IncomingMessage m : messages) {
      channel.basicAck((Long) m.receipt(), false);
    }
  }

  @Override
  public void close() {
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } catch (Exception ignored) {
      // closing with the connection gone: the broker requeues what was not acked anyway
    }
  }
}
