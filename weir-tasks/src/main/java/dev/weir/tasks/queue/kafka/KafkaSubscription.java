package dev.weir.tasks.queue.kafka;

import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.tasks.queue.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * One consumer in a group, reading one topic.
 *
 * <p><b>Not thread-safe</b>, like the {@link KafkaConsumer} under it: {@code poll}, {@code ack} and
 * {@code close} must all be called from one thread (the trigger's loop). A consumer that is not
 * polled for {@code max.poll.interval.ms} (5 minutes) leaves its group, and its messages go to
 * another member.
 *
 * <p>Kafka keeps one committed offset per partition, not one mark per message. {@link #ack}
 * therefore commits, per partition, the offset after the newest message acknowledged with no
 * unacknowledged message delivered before it: the trigger loop acknowledges in delivery order, so
 * this is the newest acknowledged one; a message acknowledged out of order is committed once those
 * before it are. What was delivered and not committed is delivered again after a restart or a
 * rebalance, with the same id ({@code topic-partition-offset}).
 */
final class KafkaSubscription implements Subscription {
  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final KafkaErrors errors;

  /** Fetched and not yet handed out: a Kafka poll returns up to max.poll.records at once. */
  private final Deque<ConsumerRecord<String, byte[]>> fetched = new ArrayDeque<>();

  /** Per partition, the offsets handed out and not yet acknowledged. */
  private final Map<TopicPartition, TreeSet<Long>> unacked = new HashMap<>();

  /** Per partition, the offset after the newest message handed out. */
  private final Map<TopicPartition, Long> next = new HashMap<>();

  private final Map<TopicPartition, Long> committed = new HashMap<>();

  private final Duration apiTimeout;

  /** Since when polls brought nothing (or the last probe answered). */
  private long quietSince = System.nanoTime();

  KafkaSubscription(
      KafkaConsumer<String, byte[]> consumer,
      String topic,
      KafkaErrors errors,
      Duration apiTimeout) {
    this.consumer = consumer;
    this.topic = topic;
    this.errors = errors;
    this.apiTimeout = apiTimeout;
    consumer.subscribe(List.of(topic), new Forget());
  }

  @Override
  public List<IncomingMessage> poll(int max, Duration wait) {
    if (max < 1) {
      throw new IllegalArgumentException("poll needs max >= 1, got " + max);
    }
    if (fetched.isEmpty()) {
      try {
        consumer.poll(wait).forEach(fetched::add);
      } catch (RuntimeException e) {
        throw errors.explain("reading topic '" + topic + "'", e);
      }
      if (!fetched.isEmpty()) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > apiTimeout.toNanos()) {
        probe();
      }
    }
    List<IncomingMessage> out = new ArrayList<>(Math.min(max, fetched.size()));
    while (out.size() < max && !fetched.isEmpty()) {
      ConsumerRecord<String, byte[]> r = fetched.poll();
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      unacked.computeIfAbsent(tp, k -> new TreeSet<>()).add(r.offset());
      next.put(tp, r.offset() + 1);
      out.add(message(r, tp));
    }
    return out;
  }

  /**
   * Kafka's consumer rides out an unreachable cluster silently: its polls just come back empty.
   * Quiet for longer than default.api.timeout.ms, ask the partitions' leaders for their end
   * offsets, so that a cluster that is gone is an error (the caller subscribes again with backoff)
   * and not a topic that looks idle. Costs one request per timeout while the topic is idle.
   */
  private void probe() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, apiTimeout).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.endOffsets(partitions, apiTimeout);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw errors.unreachable("reading topic '" + topic + "'", e);
    } catch (RuntimeException e) {
      throw errors.explain("reading topic '" + topic + "'", e);
    }
    quietSince = System.nanoTime();
  }

  @Override
  public void ack(List<IncomingMessage> messages) {
    for (IncomingMessage m : messages) {
      if (!(m.receipt() instanceof Receipt receipt)) {
        throw new IllegalArgumentException(
            "message " + m.id() + " was not delivered by a Kafka subscription");
      }
      TreeSet<Long> open = unacked.get(receipt.partition());
      if (open != null) {
        open.remove(receipt.offset()); // absent: its partition went to another member
      }
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new LinkedHashMap<>();
    for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
      TreeSet<Long> open = unacked.get(e.getKey());
      long upTo = open == null || open.isEmpty() ? e.getValue() : open.first();
      if (upTo > committed.getOrDefault(e.getKey(), -1L)) {
        commit.put(e.getKey(), new OffsetAndMetadata(upTo));
      }
    }
    if (commit.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(commit);
    } catch (RuntimeException e) {
      throw errors.explain(
          "acknowledging "
              + messages.size()
              + " message(s) of topic '"
              + topic
              + "' (they will be delivered again)",
          e);
    }
    commit.forEach((tp, o) -> committed.put(tp, o.offset()));
  }

  /**
   * Leaves the group, so that its partitions go to another member at once; bounded, as the broker
   * may be the reason for closing.
   */
  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofMillis(KafkaSettings.DEFAULT_TIMEOUT_MS)));
  }

  private static IncomingMessage message(ConsumerRecord<String, byte[]> r, TopicPartition tp) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      // the last of repeated headers wins, as a map can hold only one
      headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    return new IncomingMessage(
        r.topic() + "-" + r.partition() + "-" + r.offset(),
        r.key(),
        r.value(),
        headers,
        r.topic(),
        r.timestamp() < 0 ? null : Instant.ofEpochMilli(r.timestamp()),
        new Receipt(tp, r.offset()));
  }

  /** What {@link #ack} needs of a message. */
  record Receipt(TopicPartition partition, long offset) {}

  /**
   * Runs inside {@code consumer.poll}, on the caller's thread. A partition taken away is another
   * member's now: what this one fetched or handed out of it, unacknowledged, comes again there.
   */
  private final class Forget implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    private void forget(Collection<TopicPartition> partitions) {
      fetched.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
      partitions.forEach(tp -> {
        unacked.remove(tp);
        next.remove(tp);
        committed.remove(tp);
      });
    }
  }
}
