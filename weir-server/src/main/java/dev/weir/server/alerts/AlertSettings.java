package dev.weir.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.Durations;
import dev.weir.tasks.notify.Payloads;
import dev.weir.tasks.notify.Smtp;
import dev.weir.util.Suggest;
import java.time.Duration;
import java.util.List;

/**
 * The server's {@code alerts:} config.
 *
 * @param baseUrl where people open the server, for links to runs ({@code
 *     https://weir.example.com}); null for the address the server listens on
 * @param throttle the default least time between two alerts of one event of one flow to one entry
 * @param smtp the mail server of {@code email} alerts; null when the server sends no mail
 * @param pagerDutyUrl the Events API v2 endpoint
 * @param attempts tries per alert delivery
 * @param retryDelay the wait after the first failed try; doubled after each
 * @param slaInterval how often running runs are checked against their SLA
 */
public record AlertSettings(
    String baseUrl,
    Duration throttle,
    Smtp smtp,
    String pagerDutyUrl,
    int attempts,
    Duration retryDelay,
    Duration slaInterval) {
  public static final AlertSettings DEFAULTS =
      new AlertSettings(
          null,
          Duration.ofMinutes(30),
          null,
          Payloads.PAGERDUTY_URL,
          3,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30));
  static final List<String> KEYS =
      List.of(
          "baseUrl", "throttle", "smtp", "pagerDutyUrl", "attempts", "retryDelay", "slaInterval");
  static final List<String> SMTP_KEYS =
      List.of("host", "port", "from", "username", "password", "starttls");

  public AlertSettings {
    baseUrl = baseUrl == null ? null : baseUrl.replaceAll("/+$", "");
    throttle = throttle == null ? DEFAULTS.throttle : throttle;
    pagerDutyUrl = pagerDutyUrl == null ? Payloads.PAGERDUTY_URL : pagerDutyUrl;
    attempts = attempts < 1 ? 3 : attempts;
    retryDelay = retryDelay == null ? Duration.ofSeconds(10) : retryDelay;
    slaInterval = slaInterval == null ? Duration.ofSeconds(30) : slaInterval;
  }

  /** Reads {@code alerts:} of the server config; a bad value is added to {@code problems}. */
  public static AlertSettings parse(JsonNode node, List<String> problems) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return DEFAULTS;
    }
    if (!node.isObject()) {
      problems.add("alerts must be a mapping, e.g. `alerts: {baseUrl: https://weir.example.com}`");
      return DEFAULTS;
    }
    unknown(node, "alerts", KEYS, problems);
    Smtp smtp = null;
    JsonNode s = node.get("smtp");
    if (s != null && !s.isNull()) {
      unknown(s, "alerts.smtp", SMTP_KEYS, problems);
      try {
        smtp =
            new Smtp(
                text(s, "host"),
                s.has("port") ? s.get("port").asInt() : null,
                text(s, "from"),
                text(s, "username"),
                text(s, "password"),
                s.has("starttls") ? s.get("starttls").asBoolean() : null);
      } catch (IllegalArgumentException e) {
        problems.add("alerts." + e.getMessage());
      }
    }
    int attempts = node.path("attempts").asInt(3);
    if (attempts < 1) {
      problems.add("alerts.attempts must be a whole number ≥ 1, e.g. `attempts: 3`");
    }
    return new AlertSettings(
        text(node, "baseUrl"),
        duration(node, "throttle", problems),
        smtp,
        text(node, "pagerDutyUrl"),
        attempts,
        duration(node, "retryDelay", problems),
        duration(node, "slaInterval", problems));
  }

  /** Links to a run: {@code {baseUrl}/api/v1/runs/{id}}. */
  String link(String fallbackBase, String runId) {
    return (baseUrl != null ? baseUrl : fallbackBase) + "/api/v1/runs/" + runId;
  }

  private static Duration duration(JsonNode node, String key, List<String> problems) {
    if (!node.hasNonNull(key)) {
      return null;
    }
    try {
      Duration d = Durations.parse(node.get(key).asText());
      if (!d.isZero() && !d.isNegative()) {
        return d;
      }
      problems.add("alerts." + key + " must be longer than 0, e.g. `" + key + ": 30m`");
    } catch (IllegalArgumentException e) {
      problems.add("alerts." + key + ": " + e.getMessage());
    }
    return null;
  }

  private static void unknown(JsonNode node, String path, List<String> known, List<String> out) {
    node.fieldNames()
        .forEachRemaining(k -> {
          if (!known.contains(k)) {
            out.add(
                "unknown key '"
                    + path
                    + "."
                    + k
                    + "'"
                    + Suggest.didYouMean(k, known)
                    + " (known: "
                    + known
                    + ")");
          }
        });
  }

  private static String text(JsonNode node, String key) {
    return node.hasNonNull(key) ? node.get(key).asText() : null;
  }

  @Override
  public String toString() {
    return "AlertSettings[baseUrl="
        + baseUrl
        + ", throttle="
        + Durations.format(throttle)
        + ", smtp="
        + smtp
        + ", attempts="
        + attempts
        + ", retryDelay="
        + Durations.format(retryDelay)
        + ", slaInterval="
        + Durations.format(slaInterval)
        + "]";
  }
}
