package dev.weir.tasks.queue;

import java.util.Map;

/**
 * A message to publish: {@code key} is Kafka's record key, NATS's message id header (JetStream
 * de-duplicates on it) and RabbitMQ's message id; null when none.
 */
public record OutgoingMessage(String key, byte[] body, Map<String, String> headers) {
  public OutgoingMessage {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }
}
