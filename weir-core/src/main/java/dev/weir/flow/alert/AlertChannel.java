package dev.weir.flow.alert;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an alert goes, with the settings each channel takes. Settings may be templates ({@code {{
 * secret('SLACK_URL') }}}); they are rendered when an alert is sent.
 */
public enum AlertChannel {
  SLACK(
      List.of("webhook"),
      List.of("webhook", "message"),
      "{webhook: \"{{ secret('SLACK_URL') }}\"}"),
  WEBHOOK(
      List.of("url"),
      List.of("url", "signingSecret", "headers"),
      "{url: \"https://hooks.example.com/etl\"}"),
  PAGERDUTY(
      List.of("routingKey"),
      List.of("routingKey", "severity", "url"),
      "{routingKey: \"{{ secret('PD_KEY') }}\"}"),
  EMAIL(List.of("to"), List.of("to", "subject"), "{to: [oncall@example.com]}");

  private final List<String> required;
  private final List<String> keys;
  private final String example;

  AlertChannel(List<String> required, List<String> keys, String example) {
    this.required = required;
    this.keys = keys;
    this.example = example;
  }

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public List<String> required() {
    return required;
  }

  public List<String> keys() {
    return keys;
  }

  public String example() {
    return example;
  }

  public static List<String> yamlNames() {
    return Arrays.stream(values()).map(AlertChannel::yamlName).toList();
  }

  public static Optional<AlertChannel> of(String name) {
    return Arrays.stream(values()).filter(c -> c.yamlName().equals(name)).findFirst();
  }
}
