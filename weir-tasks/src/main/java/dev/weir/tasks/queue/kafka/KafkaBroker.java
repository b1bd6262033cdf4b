package dev.weir.tasks.queue.kafka;

import dev.weir.WeirException;
import dev.weir.config.ConnectionConfig;
import dev.weir.tasks.queue.Broker;
import dev.weir.tasks.queue.Destination;
import dev.weir.tasks.queue.OutgoingMessage;
import dev.weir.tasks.queue.Source;
import dev.weir.tasks.queue.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * A {@code kafka} connection's client. Publishing uses one idempotent producer with {@code
 * acks=all}, shared by the threads that publish (Kafka's producer is thread-safe); each {@link
 * #subscribe} opens its own consumer in the source's group (see {@link KafkaSubscription} for its
 * threading rule). Every client call is bounded: the connection's {@code default.api.timeout.ms},
 * {@code request.timeout.ms} and {@code max.block.ms} default to 10 s.
 */
public final class KafkaBroker implements Broker {
  private final KafkaSettings settings;
  private final KafkaErrors errors;
  private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
  private KafkaProducer<String, byte[]> producer;
  private Admin admin;

  public KafkaBroker(ConnectionConfig connection) {
    this.settings = new KafkaSettings(connection);
    this.errors = new KafkaErrors(settings);
  }

  /**
   * Sends every message, then waits for each one's acknowledgement from all in-sync replicas. The
   * first failure is thrown once all sends have ended, so none is left in flight.
   */
  @Override
  public void publish(Destination destination, List<OutgoingMessage> messages) {
    String topic = destination.name();
    requireTopic(topic, "publishing to topic '" + topic + "'");
    KafkaProducer<String, byte[]> p = producer("publishing to topic '" + topic + "'");
    List<Future<RecordMetadata>> sent = new ArrayList<>(messages.size());
    try {
      for (OutgoingMessage m : messages) {
        sent.add(p.send(record(topic, m)));
      }
    } catch (RuntimeException e) {
      throw errors.explain("publishing to topic '" + topic + "'", e);
    }
    Exception failed = null;
    // delivery.timeout.ms bounds each send; this only guards against a client that never answers
    long waitMs = settings.publishWaitMs();
    for (Future<RecordMetadata> f : sent) {
      try {
        f.get(waitMs, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw errors.explain("publishing to topic '" + topic + "' (interrupted)", e);
      } catch (Exception e) {
        failed = failed == null ? e : failed;
      }
    }
    if (failed != null) {
      throw errors.explain(
          "publishing " + messages.size() + " message(s) to topic '" + topic + "'", failed);
    }
  }

  /**
   * Joins {@code source.group()} on topic {@code source.name()}; a group reads from the oldest
   * message the first time and from its last acknowledged offsets afterwards.
   */
  @Override
  public Subscription subscribe(Source source) {
    if (source.group() == null || source.group().isBlank()) {
      throw new WeirException(
          "kafka connection '"
              + settings.connection()
              + "': subscribing to topic '"
              + source.name()
              + "' needs a consumer group, so that acknowledged offsets outlive the consumer");
    }
    requireTopic(source.name(), "subscribing to topic '" + source.name() + "'");
    String doing = "subscribing to topic '" + source.name() + "'";
    KafkaConsumer<String, byte[]> consumer;
    try {
      consumer = new KafkaConsumer<>(settings.consumer(source.group()));
    } catch (RuntimeException e) {
      throw errors.cannotOpen(doing, e);
    }
    try {
      return new KafkaSubscription(
          consumer, source.name(), errors, Duration.ofMillis(settings.apiTimeoutMs()));
    } catch (RuntimeException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw errors.explain(doing, e);
    }
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofMillis(KafkaSettings.DEFAULT_TIMEOUT_MS));
      producer = null;
    }
    if (admin != null) {
      admin.close(Duration.ofMillis(KafkaSettings.DEFAULT_TIMEOUT_MS));
      admin = null;
    }
  }

  /**
   * Asks the cluster whether {@code topic} exists, once per topic: without it, a send to a missing
   * topic and an unreachable cluster would both end in the same "not present in metadata" timeout.
   */
  private void requireTopic(String topic, String doing) {
    if (knownTopics.contains(topic)) {
      return;
    }
    Admin admin = admin(doing);
    try {
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(settings.apiTimeoutMs() + 2_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw errors.explain(doing + " (interrupted)", e);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof UnknownTopicOrPartitionException) {
        throw errors.unknownTopic(topic);
      }
      if (e instanceof java.util.concurrent.TimeoutException
          || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw errors.unreachable(doing, cause);
      }
      throw errors.explain(doing, e);
    }
    knownTopics.add(topic);
  }

  private synchronized Admin admin(String doing) {
    if (admin == null) {
      try {
        admin = Admin.create(settings.admin());
      } catch (RuntimeException e) {
        throw errors.cannotOpen(doing, e);
      }
    }
    return admin;
  }

  private synchronized KafkaProducer<String, byte[]> producer(String doing) {
    if (producer == null) {
      try {
        producer = new KafkaProducer<>(settings.producer());
      } catch (RuntimeException e) {
        throw errors.cannotOpen(doing, e);
      }
    }
    return producer;
  }

  private static ProducerRecord<String, byte[]> record(String topic, OutgoingMessage m) {
    var record = new ProducerRecord<String, byte[]>(topic, m.key(), m.body());
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      record
          .headers()
          .add(
              new RecordHeader(
                  h.getKey(),
                  h.getValue() == null ? null : h.getValue().getBytes(StandardCharsets.UTF_8)));
    }
    return record;
  }
}
