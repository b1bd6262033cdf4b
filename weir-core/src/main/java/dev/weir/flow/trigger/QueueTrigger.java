package dev.weir.flow.trigger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Starts runs from messages on a broker: {@code type: rabbitmq | nats | mqtt | kafka}. One run per
 * message ({@code maxBatch: 1}), or one per batch of up to {@code maxBatch} messages gathered
 * within {@code maxWait}. A message is acknowledged only once its run is stored; its dedupe key
 * ({@code key}, else the broker's message id) starts at most one run.
 *
 * @param broker the YAML type: {@code rabbitmq}, {@code nats}, {@code mqtt} or {@code kafka}
 * @param connection the broker's connection in weir.yaml
 * @param source what is consumed: a RabbitMQ queue, a NATS subject, an MQTT topic filter, a Kafka
 *     topic
 * @param stream the JetStream stream (nats only), else null
 * @param group the durable consumer: JetStream durable, MQTT client id, Kafka group id (null for
 *     rabbitmq, whose queue is the durable thing); defaults to {@link #defaultGroup}
 * @param key a template over {@code trigger.*} of one message, or null for the broker's id
 * @param deadLetter where messages whose run cannot start are kept (templates unrendered); null to
 *     acknowledge them with a warning in the log
 */
public record QueueTrigger(
    String id,
    String broker,
    String connection,
    String source,
    String stream,
    String group,
    int maxBatch,
    Duration maxWait,
    String key,
    Map<String, String> inputs,
    boolean disabled,
    dev.weir.deadletter.DeadLetterSpec deadLetter)
    implements TriggerDef {
  public static final String RABBITMQ = "rabbitmq";
  public static final String NATS = "nats";
  public static final String MQTT = "mqtt";
  public static final String KAFKA = "kafka";
  public static final List<String> BROKERS = List.of(RABBITMQ, NATS, MQTT, KAFKA);
  public static final int MAX_BATCH = 1000;
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(1);
  public static final Duration LONGEST_MAX_WAIT = Duration.ofMinutes(5);

  public QueueTrigger {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(source, "source");
    if (!BROKERS.contains(broker)) {
      throw new IllegalArgumentException("not a broker type: " + broker);
    }
    if (maxBatch < 1 || maxBatch > MAX_BATCH) {
      throw new IllegalArgumentException("maxBatch must be 1 to " + MAX_BATCH + ": " + maxBatch);
    }
    maxWait = maxWait == null ? DEFAULT_MAX_WAIT : maxWait;
    inputs = TriggerDef.copy(inputs);
  }

  @Override
  public String type() {
    return broker;
  }

  /**
   * The durable consumer name when none is given: unique per flow and trigger, and made only of
   * characters every broker takes in one ({@code weir_<namespace>_<flow>_<trigger>}).
   */
  public static String defaultGroup(String namespace, String flowId, String triggerId) {
    return ("weir_" + namespace + "_" + flowId + "_" + triggerId).replaceAll("[^A-Za-z0-9_-]", "_");
  }
}
