package dev.weir.tasks.queue;

import java.time.Duration;

/**
 * What a subscription reads. {@code name} is a RabbitMQ queue, a NATS JetStream subject (with
 * {@code stream}), an MQTT topic filter or a Kafka topic; {@code group} is the durable consumer
 * name (JetStream durable, MQTT client id with a persistent session, Kafka group id), so that a
 * restarted consumer continues where the last one acknowledged.
 *
 * @param prefetch how many unacknowledged messages the broker may hand this consumer at once
 *     (RabbitMQ's basicQos, JetStream's max ack pending); at least the largest batch polled
 * @param hold the longest a consumer holds a message before acknowledging it (a trigger's {@code
 *     maxWait} while its batch fills); a broker that redelivers unacknowledged messages after a
 *     timeout (JetStream's ack wait) must wait longer than this plus the time to store the runs
 */
public record Source(String name, String stream, String group, int prefetch, Duration hold) {
  public static final int DEFAULT_PREFETCH = 256;

  public Source {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a source needs a name (queue, subject or topic)");
    }
    if (prefetch < 1) {
      prefetch = DEFAULT_PREFETCH;
    }
    hold = hold == null || hold.isNegative() ? Duration.ZERO : hold;
  }

  public Source(String name, String stream, String group, int prefetch) {
    this(name, stream, group, prefetch, Duration.ZERO);
  }

  public Source(String name, String stream, String group) {
    this(name, stream, group, DEFAULT_PREFETCH);
  }
}
