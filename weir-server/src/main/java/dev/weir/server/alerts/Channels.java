package dev.weir.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weir.engine.Engine;
import dev.weir.flow.Flow;
import dev.weir.flow.alert.AlertEvent;
import dev.weir.flow.alert.AlertRule;
import dev.weir.tasks.notify.Alert;
import dev.weir.tasks.notify.Delivery;
import dev.weir.tasks.notify.Delivery.DeliveryException;
import dev.weir.tasks.notify.Payloads;
import dev.weir.tasks.notify.WebhookSignature;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends one alert to one entry's channel. The entry's settings are rendered at send time, so a
 * {@code secret()} is read then and masked from then on.
 */
final class Channels {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final Engine engine;
  private final AlertSettings settings;
  private final InstantSource clock;

  Channels(Engine engine, AlertSettings settings, InstantSource clock) {
    this.engine = engine;
    this.settings = settings;
    this.clock = clock;
  }

  void send(Flow flow, AlertRule rule, AlertEvent event, Alert alert)
      throws DeliveryException, InterruptedException {
    JsonNode s = render(flow, rule.settings(), event);
    switch (rule.channel()) {
      case SLACK ->
          post(text(s, "webhook"), Payloads.slack(alert, text(s, "message")).toString(), Map.of());
      case WEBHOOK -> {
        String body = Payloads.webhook(alert).toString();
        var headers = new LinkedHashMap<String, String>();
        s.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        // The same id for each try of this alert: a receiver drops the duplicate.
        String id =
            WebhookSignature.messageId(
                String.valueOf(alert.runId()), alert.event(), String.valueOf(alert.at()));
        headers.putAll(
            Delivery.webhookHeaders(text(s, "signingSecret"), id, body, clock.instant()));
        post(text(s, "url"), body, headers);
      }
      case PAGERDUTY -> {
        String url = text(s, "url") != null ? text(s, "url") : settings.pagerDutyUrl();
        String action = event == AlertEvent.RECOVERED ? "resolve" : "trigger";
        String body =
            Payloads.pagerDuty(
                    alert,
                    text(s, "routingKey"),
                    action,
                    Payloads.dedupKey(flow.namespace(), flow.id()),
                    text(s, "severity"))
                .toString();
        post(url, body, Map.of());
      }
      case EMAIL -> {
        if (settings.smtp() == null) {
          throw new DeliveryException(
              "the server has no mail server for e-mail alerts; add one to the server config,"
                  + " e.g. `alerts: {smtp: {host: mail.example.com, port: 587, from:"
                  + " weir@example.com}}`",
              false,
              null);
        }
        String subject = text(s, "subject");
        settings
            .smtp()
            .send(
                addresses(s.get("to")),
                subject != null ? subject : "[Weir] " + alert.title(),
                alert.text());
      }
    }
  }

  private static void post(String url, String body, Map<String, String> headers)
      throws DeliveryException, InterruptedException {
    Delivery.post(url, body, headers, TIMEOUT);
  }

  private JsonNode render(Flow flow, ObjectNode node, AlertEvent event) {
    ObjectNode out = node.deepCopy();
    renderInto(flow, out, event);
    return out;
  }

  private void renderInto(Flow flow, JsonNode node, AlertEvent event) {
    if (node instanceof ObjectNode o) {
      for (var e : o.properties()) {
        JsonNode v = e.getValue();
        if (v.isTextual()) {
          o.set(e.getKey(), TextNode.valueOf(render(flow, v.textValue(), event)));
        } else {
          renderInto(flow, v, event);
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode v = node.get(i);
        if (v.isTextual()) {
          ((com.fasterxml.jackson.databind.node.ArrayNode) node)
              .set(i, TextNode.valueOf(render(flow, v.textValue(), event)));
        } else {
          renderInto(flow, v, event);
        }
      }
    }
  }

  private String render(Flow flow, String text, AlertEvent event) {
    return text.contains("{{")
        ? engine.renderForTrigger(flow, text, "alert", Map.of("event", event.yamlName()))
        : text;
  }

  private static String text(JsonNode s, String key) {
    return s.hasNonNull(key) ? s.get(key).asText() : null;
  }

  private static List<String> addresses(JsonNode to) {
    var out = new ArrayList<String>();
    if (to.isArray()) {
      to.forEach(t -> out.add(t.asText()));
    } else {
      for (String t : to.asText().split(",")) {
        out.add(t.strip());
      }
    }
    return out;
  }
}
