package dev.weir.tasks.queue.nats;

import dev.weir.config.ConnectionConfig;
import dev.weir.tasks.queue.Broker;
import dev.weir.tasks.queue.BrokerException;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.OutgoingMessage;
import dev.weir.tasks.queue.Source;
import dev.weir.tasks.queue.Subscription;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * NATS JetStream through the official client. A publish waits for every JetStream ack; the key goes
 * in {@code Nats-Msg-Id}, which the stream uses to drop duplicates within its window. A message's
 * id is its stream sequence.
 */
public final class NatsBroker implements Broker {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ConnectionConfig config;
  private final Connection connection;

  public NatsBroker(ConnectionConfig config) {
    this.config = config;
    var options =
        new Options.Builder()
            .server(config.url())
            .connectionTimeout(Duration.ofSeconds(10))
            // Weir reconnects itself (a trigger with backoff, a task by its retries): the
            // client's reconnecting would hide an outage behind timeouts
            .maxReconnects(0)
            .errorListener(new io.nats.client.ErrorListener() {})
            .connectionName("weir");
    if (config.user() != null) {
      options.userInfo(config.user(), config.password() == null ? "" : config.password());
    }
    String token = config.setting("token", null);
    if (token != null) {
      options.token(token.toCharArray());
    }
    try {
      this.connection = Nats.connect(options.build());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while connecting", e);
    } catch (Exception e) {
      throw failure("cannot connect", e);
    }
  }

  BrokerException failure(String what, Exception e) {
    return new BrokerException(
        "nats connection '"
            + config.name()
            + "' ("
            + BrokerException.safeUrl(config.url())
            + "): "
            + what
            + ": "
            + BrokerException.reason(e, config.password(), config.setting("token", null)),
        e);
  }

  Connection connection() {
    return connection;
  }

  @Override
  public void publish(Destination to, List<OutgoingMessage> messages) throws Exception {
    try {
      JetStream js = connection.jetStream();
      var acks = new ArrayList<CompletableFuture<PublishAck>>();
      for (OutgoingMessage m : messages) {
        var headers = new Headers();
        m.headers().forEach(headers::put);
        var options = PublishOptions.builder();
        if (m.key() != null) {
          options.messageId(m.key());
        }
        acks.add(js.publishAsync(to.name(), headers, m.body(), options.build()));
      }
      for (var ack : acks) {
        ack.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (Exception e) {
      String why = BrokerException.reason(e);
      throw failure(
          "publishing to subject '"
              + to.name()
              + "'"
              + (why.contains("503") || why.toLowerCase().contains("no responders")
                  ? " (no JetStream stream takes this subject; add one, e.g. `nats stream add"
                      + " ORDERS --subjects '"
                      + to.name()
                      + "'`)"
                  : ""),
          e);
    }
  }

  @Override
  public Subscription subscribe(Source source) throws Exception {
    return new NatsSubscription(this, source);
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
