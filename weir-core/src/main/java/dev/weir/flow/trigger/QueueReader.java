package dev.weir.flow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the properties of a {@code type: rabbitmq | nats | mqtt | kafka} trigger. */
final class QueueReader {
  static final List<String> COMMON =
      List.of("connection", "maxBatch", "maxWait", "key", "deadLetter");

  /** The keys of each broker's trigger beside {@link #COMMON}; the first names what is consumed. */
  static List<String> own(String broker) {
    return switch (broker) {
      case QueueTrigger.RABBITMQ -> List.of("queue");
      case QueueTrigger.NATS -> List.of("subject", "stream", "durable");
      case QueueTrigger.MQTT -> List.of("topic");
      default -> List.of("topic", "group");
    };
  }

  static List<String> keys(String broker) {
    return Stream.concat(COMMON.stream(), own(broker).stream()).toList();
  }

  private final Fields f;
  private final String namespace;
  private final String flowId;

  QueueReader(Fields f, String namespace, String flowId) {
    this.f = f;
    this.namespace = namespace;
    this.flowId = flowId;
  }

  QueueTrigger read(String broker, String id, Map<String, String> inputs, boolean disabled) {
    int before = f.problemCount();
    String owner = broker + " trigger '" + id + "'";
    String connection = f.requiredText("connection", owner, "events");
    String what = own(broker).get(0);
    String source = f.requiredText(what, owner, example(broker));
    if (source != null && source.contains("{{")) {
      f.problem(
          what,
          what
              + " '"
              + source
              + "' is a template, but a queue trigger listens before any run exists; write the"
              + " name itself, e.g. `"
              + what
              + ": "
              + example(broker)
              + "`");
    }
    String stream = null;
    String group = null;
    switch (broker) {
      case QueueTrigger.NATS -> {
        stream = f.requiredText("stream", owner, "ORDERS");
        group = f.text("durable");
        if (group != null && !group.matches("[A-Za-z0-9_-]+")) {
          f.problem(
              "durable",
              "durable '"
                  + group
                  + "' may use only letters, digits, '_' and '-' (JetStream refuses '.', '*',"
                  + " '>' and spaces); e.g. `durable: orders_weir`");
        }
      }
      case QueueTrigger.KAFKA -> group = f.text("group");
      default -> {}
    }
    if (group == null && !broker.equals(QueueTrigger.RABBITMQ)) {
      group = QueueTrigger.defaultGroup(namespace, flowId, id);
    }
    int maxBatch = maxBatch();
    Duration maxWait = f.duration("maxWait");
    if (maxWait != null
        && (maxWait.isZero() || maxWait.compareTo(QueueTrigger.LONGEST_MAX_WAIT) > 0)) {
      f.problem(
          "maxWait",
          "maxWait must be more than 0 and at most 5m, got '"
              + f.text("maxWait")
              + "'; e.g. `maxWait: 5s`");
    }
    String key = key(broker);
    var deadLetter = deadLetter();
    if (f.problemCount() != before) {
      return null;
    }
    return new QueueTrigger(
        id,
        broker,
        connection,
        source,
        stream,
        group,
        maxBatch,
        maxWait,
        key,
        inputs,
        disabled,
        deadLetter);
  }

  private int maxBatch() {
    JsonNode v = f.get("maxBatch");
    if (v == null || v.isNull()) {
      return 1;
    }
    if (!v.canConvertToInt()
        || !v.isIntegralNumber()
        || v.asInt() < 1
        || v.asInt() > QueueTrigger.MAX_BATCH) {
      f.problem(
          "maxBatch",
          "maxBatch must be a whole number from 1 (one run per message) to "
              + QueueTrigger.MAX_BATCH
              + ", got "
              + v
              + "; e.g. `maxBatch: 50`");
      return 1;
    }
    return v.asInt();
  }

  /**
   * Where messages whose run cannot start go. A trigger keeps every such message, so a threshold
   * would mean nothing here: {@code maxRejected} is refused rather than silently ignored.
   */
  private dev.weir.deadletter.DeadLetterSpec deadLetter() {
    var spec = f.deadLetter("deadLetter");
    if (spec != null && spec.maxRejected() != null) {
      f.problem(
          "deadLetter.maxRejected",
          "a trigger keeps every message whose run cannot start and never fails, so maxRejected"
              + " means nothing here; remove it, e.g. `deadLetter: {path: dead/}`");
      return null;
    }
    return spec;
  }

  private String key(String broker) {
    String key = f.text("key");
    if (key == null) {
      if (broker.equals(QueueTrigger.MQTT)) {
        f.problem(
            "",
            "an mqtt trigger needs `key:`, as MQTT gives a message no id that survives"
                + " redelivery; e.g. `key: \"{{ trigger.json.id }}\"` (a value of the message"
                + " that is unique to it)");
      }
      return null;
    }
    if (!key.contains("{{")) {
      f.problem(
          "key",
          "key '"
              + key
              + "' is the same for every message, so only the first would ever start a run;"
              + " make it an expression over the message, e.g. `key: \"{{ trigger.json.id }}\"`"
              + " or `key: \"{{ trigger.headers.orderId }}\"`");
    }
    return key;
  }

  private static String example(String broker) {
    return switch (broker) {
      case QueueTrigger.RABBITMQ -> "orders";
      case QueueTrigger.NATS -> "orders.created";
      case QueueTrigger.MQTT -> "plant/+/orders";
      default -> "orders";
    };
  }
}
