package dev.weir.flow.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.flow.Durations;
import dev.weir.flow.Problem;
import dev.weir.flow.YamlTree;
import dev.weir.util.Suggest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a flow's {@code sla:} and {@code alerts:}. Every problem is added to the shared list with
 * its YAML path; an entry with a problem is left out.
 */
public final class AlertParser {
  static final List<String> SLA_KEYS =
      List.of("maxDuration", "deadline", "timezone", "auto", "lag");
  static final List<String> RULE_KEYS = List.of("on", "throttle");
  private static final String EXAMPLE =
      "{on: [failed], slack: {webhook: \"{{ secret('SLACK_URL') }}\"}}";

  private final YamlTree tree;
  private final List<Problem> problems;

  public AlertParser(YamlTree tree, List<Problem> problems) {
    this.tree = tree;
    this.problems = problems;
  }

  private void problem(String path, String message) {
    problems.add(tree.problem(path, message));
  }

  /**
   * @param node the value of {@code sla:}, or null
   */
  public Sla sla(JsonNode node) {
    if (node == null || node.isNull()) {
      return Sla.DEFAULT;
    }
    if (!node.isObject()) {
      problem("sla", "expected a mapping like {maxDuration: 2h, deadline: \"07:00\"}, got " + node);
      return Sla.DEFAULT;
    }
    unknownKeys(node, "sla", SLA_KEYS, "sla");
    int before = problems.size();
    Duration max = null;
    if (node.hasNonNull("maxDuration")) {
      max = duration(node.get("maxDuration"), "sla.maxDuration", "maxDuration: 2h");
    }
    Duration lag = null;
    if (node.hasNonNull("lag")) {
      lag = duration(node.get("lag"), "sla.lag", "lag: 30s");
    }
    LocalTime deadline = null;
    if (node.hasNonNull("deadline")) {
      try {
        deadline = LocalTime.parse(node.get("deadline").asText());
      } catch (DateTimeParseException e) {
        problem(
            "sla.deadline",
            "deadline must be a local time HH:mm, got '"
                + node.get("deadline").asText()
                + "'; e.g. `deadline: \"07:00\"` (quoted)");
      }
    }
    ZoneId zone = null;
    if (node.hasNonNull("timezone")) {
      try {
        zone = ZoneId.of(node.get("timezone").asText());
      } catch (DateTimeException e) {
        problem(
            "sla.timezone",
            "unknown time zone '"
                + node.get("timezone").asText()
                + "'; use a region id like Europe/Berlin or UTC");
      }
    }
    boolean auto = true;
    JsonNode a = node.get("auto");
    if (a != null && !a.isNull()) {
      if (a.isBoolean()) {
        auto = a.booleanValue();
      } else {
        problem("sla.auto", "expected true or false, got " + a);
      }
    }
    return problems.size() == before ? new Sla(max, deadline, zone, auto, lag) : Sla.DEFAULT;
  }

  /**
   * @param node the value of {@code alerts:}, or null
   */
  public List<AlertRule> alerts(JsonNode node) {
    var out = new ArrayList<AlertRule>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problem("alerts", "expected a list of alerts like [" + EXAMPLE + "], got " + node);
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      String path = "alerts[" + i + "]";
      JsonNode entry = node.get(i);
      if (!entry.isObject()) {
        problem(path, "expected an alert mapping like " + EXAMPLE + ", got " + entry);
        continue;
      }
      int before = problems.size();
      AlertRule rule = rule((ObjectNode) entry, path, i);
      if (rule != null && problems.size() == before) {
        out.add(rule);
      }
    }
    return out;
  }

  private AlertRule rule(ObjectNode entry, String path, int index) {
    List<String> channelNames = AlertChannel.yamlNames();
    unknownKeys(
        entry, path, Stream.concat(RULE_KEYS.stream(), channelNames.stream()).toList(), "an alert");
    EnumSet<AlertEvent> on = events(entry.get("on"), path);
    List<String> given = channelNames.stream().filter(entry::has).toList();
    if (given.isEmpty()) {
      problem(
          path,
          "an alert needs one channel ("
              + String.join(", ", channelNames)
              + "); add one, e.g. `slack: "
              + AlertChannel.SLACK.example()
              + "`");
      return null;
    }
    if (given.size() > 1) {
      problem(
          path + "." + given.get(1),
          "an alert sends to exactly one channel, this one names "
              + String.join(" and ", given)
              + "; split it into one entry per channel");
      return null;
    }
    AlertChannel channel = AlertChannel.of(given.get(0)).orElseThrow();
    ObjectNode settings = settings(entry.get(given.get(0)), path + "." + given.get(0), channel);
    Duration throttle = null;
    if (entry.hasNonNull("throttle")) {
      throttle = duration(entry.get("throttle"), path + ".throttle", "throttle: 1h");
    }
    return on == null || settings == null
        ? null
        : new AlertRule(on, channel, settings, throttle, index);
  }

  private EnumSet<AlertEvent> events(JsonNode node, String path) {
    String known = String.join(", ", AlertEvent.yamlNames());
    if (node == null || node.isNull()) {
      problem(path, Problem.missing("on", "an alert", "[failed, recovered]"));
      return null;
    }
    var list = new ArrayList<JsonNode>();
    if (node.isArray()) {
      node.forEach(list::add);
    } else {
      list.add(node);
    }
    if (list.isEmpty()) {
      problem(path + ".on", "list at least one event (" + known + "), e.g. `on: [failed]`");
      return null;
    }
    var out = EnumSet.noneOf(AlertEvent.class);
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      String at = node.isArray() ? path + ".on[" + i + "]" : path + ".on";
      String name = list.get(i).isTextual() ? list.get(i).textValue() : list.get(i).toString();
      var event = AlertEvent.of(name);
      if (event.isPresent()) {
        out.add(event.get());
      } else {
        ok = false;
        problem(
            at,
            "unknown alert event '"
                + name
                + "'"
                + Suggest.didYouMean(name, AlertEvent.yamlNames())
                + " (known: "
                + known
                + ")");
      }
    }
    return ok ? out : null;
  }

  private ObjectNode settings(JsonNode node, String path, AlertChannel channel) {
    if (node == null || !node.isObject()) {
      problem(
          path,
          "expected the "
              + channel.yamlName()
              + " settings as a mapping, e.g. `"
              + channel.yamlName()
              + ": "
              + channel.example()
              + "`");
      return null;
    }
    int before = problems.size();
    unknownKeys(node, path, channel.keys(), "a " + channel.yamlName() + " alert");
    for (String key : channel.required()) {
      if (!node.hasNonNull(key)) {
        problem(
            path,
            Problem.missing(key, "a " + channel.yamlName() + " alert", example(channel, key)));
      }
    }
    if (channel == AlertChannel.EMAIL && node.hasNonNull("to")) {
      JsonNode to = node.get("to");
      boolean text = to.isTextual() || (to.isArray() && !to.isEmpty());
      for (JsonNode t : to.isArray() ? to : List.of(to)) {
        text &= t.isTextual() && (t.textValue().contains("@") || t.textValue().contains("{{"));
      }
      if (!text) {
        problem(
            path + ".to",
            "expected e-mail addresses, got " + to + "; e.g. `to: [oncall@example.com]`");
      }
    }
    if (channel == AlertChannel.PAGERDUTY && node.hasNonNull("severity")) {
      List<String> severities = List.of("critical", "error", "warning", "info");
      String s = node.get("severity").asText();
      if (!severities.contains(s)) {
        problem(
            path + ".severity",
            "severity must be critical, error, warning or info, got '"
                + s
                + "'"
                + Suggest.didYouMean(s, severities));
      }
    }
    return problems.size() == before ? (ObjectNode) node : null;
  }

  private static String example(AlertChannel channel, String key) {
    return switch (key) {
      case "webhook" -> "\"{{ secret('SLACK_URL') }}\"";
      case "url" -> "https://hooks.example.com/etl";
      case "routingKey" -> "\"{{ secret('PD_KEY') }}\"";
      default -> "[oncall@example.com]";
    };
  }

  private Duration duration(JsonNode v, String path, String example) {
    try {
      Duration d = Durations.parse(v.asText());
      if (d.isZero() || d.isNegative()) {
        problem(path, "must be longer than zero, got '" + v.asText() + "'; e.g. `" + example + "`");
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problem(path, e.getMessage());
      return null;
    }
  }

  private void unknownKeys(JsonNode node, String path, List<String> known, String what) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        problem(
            path + "." + k,
            "unknown property '"
                + k
                + "' for "
                + what
                + Suggest.didYouMean(k, known)
                + " (known: "
                + String.join(", ", known)
                + ")");
      }
    }
  }
}
