package dev.weir.flow.trigger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.flow.FlowParser;
import dev.weir.flow.schema.ConfigSchemas;
import dev.weir.flow.schema.Schemas;
import dev.weir.store.RunState;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON Schema of one entry of {@code triggers:}, from the keys {@link TriggerParser} and its
 * readers accept. A key the readers know but this class does not describe fails generation, so the
 * two cannot drift apart unnoticed.
 */
public final class TriggerSchema {
  private TriggerSchema() {}

  public static ObjectNode trigger() {
    ObjectNode s = Schemas.object().put("type", "object");
    s.put(
        "description",
        "What starts runs of this flow in `weir server`; see docs/flows.md#triggers");
    s.putArray("required").add("id").add("type");
    ObjectNode properties = s.putObject("properties");
    for (String key : TriggerParser.COMMON_KEYS) {
      properties.set(key, common(key));
    }
    ArrayNode branches = s.putArray("allOf");
    branches.add(branch(ScheduleTrigger.TYPE, ScheduleReader.KEYS, List.of("cron")));
    branches.add(branch(WebhookTrigger.TYPE, List.of("key"), List.of("key")));
    branches.add(branch(FlowTrigger.TYPE, List.of("upstream"), List.of("upstream")));
    branches.add(branch(FileTrigger.TYPE, FileReader.KEYS, List.of("path")));
    for (String broker : QueueTrigger.BROKERS) {
      var required =
          new java.util.ArrayList<>(List.of("connection", QueueReader.own(broker).get(0)));
      if (broker.equals(QueueTrigger.NATS)) {
        required.add("stream");
      }
      if (broker.equals(QueueTrigger.MQTT)) {
        required.add("key");
      }
      branches.add(branch(broker, QueueReader.keys(broker), required));
    }
    s.put("unevaluatedProperties", false);
    return s;
  }

  private static ObjectNode common(String key) {
    return switch (key) {
      case "id" ->
          Schemas.text("^" + TriggerParser.ID.pattern() + "$", "unique among the flow's triggers");
      case "type" ->
          Schemas.oneOfNames(
              TriggerDef.TYPES, "schedule, webhook, flow, file, rabbitmq, nats, mqtt or kafka");
      case "inputs" ->
          Schemas.mapOf(
              typed("a run input's value; may be an expression over trigger.*"),
              "inputs of the runs this trigger starts");
      case "disabled" -> Schemas.bool("a disabled trigger stays in the flow but fires nothing");
      default -> throw unknown(key);
    };
  }

  private static ObjectNode typed(String description) {
    ObjectNode s = Schemas.object();
    s.putArray("type").add("string").add("number").add("boolean").add("array").add("object");
    return Schemas.describe(s, description);
  }

  private static ObjectNode branch(String type, List<String> keys, List<String> required) {
    ObjectNode properties = Schemas.object();
    for (String key : keys) {
      properties.set(key, property(type, key));
    }
    ObjectNode then = Schemas.object();
    then.set("properties", properties);
    ArrayNode r = then.putArray("required");
    required.forEach(r::add);
    return Schemas.whenType(type, then);
  }

  private static ObjectNode property(String type, String key) {
    return switch (type + "." + key) {
      case "schedule.cron" ->
          Schemas.text("five fields (minute hour day-of-month month day-of-week) or @daily etc.");
      case "schedule.timezone" ->
          Schemas.text("a tz database name like Europe/Berlin; UTC by default");
      case "schedule.catchup" ->
          Schemas.anyCase(
              ConfigSchemas.enumNames(Catchup.class),
              "what to do about slots missed while nothing looked (default: latest)");
      case "schedule.start", "schedule.end" ->
          Schemas.text("a date (midnight in the timezone) or a date-time with offset");
      case "webhook.key" -> webhookKey();
      case "flow.upstream" -> upstream();
      case "file.path" ->
          Schemas.text(
              "a glob like /data/in/*.csv, s3://bucket/in/*.csv or sftp://partner/outgoing/*.csv");
      case "file.connection" ->
          Schemas.text("the S3 connection of an s3:// path, or the SFTP one of an sftp:// path");
      case "file.interval" -> Schemas.duration("how often to look, at least 1s");
      case "file.onProcessed" ->
          Schemas.anyCase(
              ConfigSchemas.enumNames(OnProcessed.class),
              "what happens to a file once its run succeeded (default: keep)");
      case "file.moveTo" -> Schemas.text("the folder processed files go to (onProcessed: move)");
      default -> queueProperty(type, key);
    };
  }

  private static ObjectNode queueProperty(String type, String key) {
    return switch (key) {
      case "connection" ->
          Schemas.text("the broker's connection in weir.yaml (type: " + type + ")");
      case "queue" -> Schemas.text("the RabbitMQ queue to consume");
      case "subject" -> Schemas.text("the NATS subject (wildcards allowed) of the stream");
      case "stream" -> Schemas.text("the JetStream stream that takes the subject");
      case "durable" ->
          Schemas.text("^[A-Za-z0-9_-]+$", "the durable consumer's name; weir_<ns>_<flow>_<id>");
      case "topic" ->
          Schemas.text(
              type.equals(QueueTrigger.MQTT)
                  ? "the MQTT topic filter (+ and # allowed)"
                  : "the Kafka topic");
      case "group" -> Schemas.text("the Kafka consumer group; weir_<ns>_<flow>_<id> by default");
      case "maxBatch" ->
          Schemas.integer(1, "1 (default): a run per message; N: up to N messages in one run")
              .put("maximum", QueueTrigger.MAX_BATCH);
      case "maxWait" -> Schemas.duration("how long a batch waits to fill (default 1s, at most 5m)");
      case "key" ->
          Schemas.text(
              "the dedupe key of a message, an expression over trigger.* (default: the broker's"
                  + " message id; required for mqtt)");
      case "deadLetter" -> deadLetter();
      default -> throw unknown(type + "." + key);
    };
  }

  private static ObjectNode deadLetter() {
    ObjectNode s = dev.weir.flow.FlowSchema.deadLetter();
    ((ObjectNode) s.get("properties")).remove("maxRejected");
    return s.put(
        "description",
        "where messages whose run cannot start go (then they are acknowledged): a directory"
            + " (dead/), or {path | table, connection}; without it they are acknowledged with a"
            + " warning in the log");
  }

  /** A secret's expression, or a literal of at least {@link WebhookTrigger#MIN_LITERAL_KEY}. */
  private static ObjectNode webhookKey() {
    ObjectNode s = Schemas.object();
    s.putArray("anyOf")
        .add(Schemas.template())
        .add(
            Schemas.object()
                .put("type", "string")
                .put("minLength", WebhookTrigger.MIN_LITERAL_KEY));
    s.put("description", "the key callers send; best \"{{ secret('HOOK_KEY') }}\"");
    return s;
  }

  private static ObjectNode upstream() {
    ObjectNode properties = Schemas.object();
    for (String key : UpstreamReader.KEYS) {
      properties.set(
          key,
          switch (key) {
            case "namespace" ->
                Schemas.text(
                    "^" + FlowParser.NAMESPACE.pattern() + "$", "this flow's namespace by default");
            case "flow" -> Schemas.text("^" + FlowParser.FLOW_ID.pattern() + "$", "the flow's id");
            case "states" ->
                Schemas.oneOrList(
                    Schemas.anyCase(finalStates(), null),
                    1,
                    "the final states of an upstream run that fire this trigger (default: SUCCEEDED)");
            default -> throw unknown("flow.upstream." + key);
          });
    }
    return Schemas.closed(properties, List.of("flow"), "the flow whose runs fire this trigger");
  }

  private static List<String> finalStates() {
    return Arrays.stream(RunState.values()).filter(RunState::isTerminal).map(Enum::name).toList();
  }

  private static IllegalStateException unknown(String key) {
    return new IllegalStateException("the flow schema does not describe trigger key " + key);
  }
}
