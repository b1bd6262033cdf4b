package dev.weir.tasks.queue;

import java.time.Instant;
import java.util.Map;

/**
 * A message received and not yet acknowledged.
 *
 * @param id the broker's own id, stable across redelivery (RabbitMQ message id when the publisher
 *     set one, JetStream stream sequence, Kafka topic-partition-offset; MQTT has none at QoS 1, so
 *     its id is null and triggers must de-duplicate by a key expression)
 * @param key Kafka's record key, or the publisher's key where the broker carries one; may be null
 * @param receipt what the subscription needs to acknowledge this message (a delivery tag, a
 *     JetStream message, an offset); opaque to callers
 */
public record IncomingMessage(
    String id,
    String key,
    byte[] body,
    Map<String, String> headers,
    String source,
    Instant publishedAt,
    Object receipt) {
  public IncomingMessage {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    // a Kafka tombstone (a key with no value) has no body: an empty one, not a null to trip on
    body = body == null ? new byte[0] : body;
  }
}
