package dev.weir.flow.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.flow.schema.Schemas;
import java.util.List;

/**
 * The JSON Schemas of {@code sla:} and of one entry of {@code alerts:}, from the keys {@link
 * AlertParser} and {@link AlertChannel} accept. A key they know but this class does not describe
 * fails generation.
 */
public final class AlertSchema {
  private AlertSchema() {}

  public static ObjectNode sla() {
    ObjectNode properties = Schemas.object();
    for (String key : AlertParser.SLA_KEYS) {
      properties.set(
          key,
          switch (key) {
            case "maxDuration" -> Schemas.duration("late once running longer than this");
            case "deadline" ->
                Schemas.text(
                    "^\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$",
                    "late when not ended by this local time (HH:mm, quoted) on its logical date");
            case "timezone" ->
                Schemas.text("the zone of deadline, e.g. Europe/Berlin; UTC by default");
            case "auto" ->
                Schemas.bool(
                    "also late past twice the median of recent successful runs (default: true)");
            case "lag" ->
                Schemas.duration(
                    "a stream flow is late when a batch's p99 lag (source commit to target"
                        + " commit) passes this");
            default -> throw unknown("sla." + key);
          });
    }
    return Schemas.closed(properties, List.of(), "When a run is late; see docs/alerts.md");
  }

  public static ObjectNode alert() {
    ObjectNode properties = Schemas.object();
    for (String key : AlertParser.RULE_KEYS) {
      properties.set(
          key,
          switch (key) {
            case "on" ->
                Schemas.oneOrList(
                    Schemas.oneOfNames(AlertEvent.yamlNames(), null), 1, "the events that alert");
            case "throttle" ->
                Schemas.duration("the least time between two alerts of one event to this channel");
            default -> throw unknown("alerts." + key);
          });
    }
    ArrayNode exactlyOne = Schemas.object().putArray("oneOf");
    for (AlertChannel channel : AlertChannel.values()) {
      properties.set(channel.yamlName(), settings(channel));
      exactlyOne.add(required(channel.yamlName()));
    }
    ObjectNode s =
        Schemas.closed(
            properties,
            List.of("on"),
            "Which events go to which channel (exactly one of "
                + String.join(", ", AlertChannel.yamlNames())
                + "); see docs/alerts.md");
    s.set("oneOf", exactlyOne);
    return s;
  }

  private static ObjectNode required(String key) {
    ObjectNode s = Schemas.object();
    s.putArray("required").add(key);
    return s;
  }

  private static ObjectNode settings(AlertChannel channel) {
    ObjectNode properties = Schemas.object();
    for (String key : channel.keys()) {
      properties.set(key, setting(channel, key));
    }
    return Schemas.closed(
        properties,
        channel.required(),
        channel.yamlName() + " settings, e.g. " + channel.example());
  }

  private static ObjectNode setting(AlertChannel channel, String key) {
    return switch (channel.yamlName() + "." + key) {
      case "webhook.headers" -> Schemas.mapOf(Schemas.scalar(null), "extra HTTP headers");
      case "email.to" ->
          Schemas.oneOrList(
              Schemas.object().put("type", "string"), 1, "e-mail addresses, or expressions");
      case "pagerduty.severity" ->
          Schemas.oneOfNames(List.of("critical", "error", "warning", "info"), null);
      default -> Schemas.scalar(null);
    };
  }

  private static IllegalStateException unknown(String key) {
    return new IllegalStateException("the flow schema does not describe alert key " + key);
  }
}
