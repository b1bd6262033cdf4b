package dev.weir.flow.alert;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What an alert rule listens for ({@code on:}). */
public enum AlertEvent {
  /** The run ended FAILED. */
  FAILED("failed"),
  /** A task failed its last allowed attempt. */
  RETRIES_EXHAUSTED("retriesExhausted"),
  /** The run is still going past its SLA. */
  SLA_MISSED("slaMissed"),
  /** The first successful run after one or more failed runs. */
  RECOVERED("recovered"),
  /** A {@code quality.check} found a failing check of severity {@code warn}. */
  QUALITY_WARN("qualityWarn"),
  /**
   * A stream task lost its place in the source (a dropped replication slot, a purged binlog) and
   * snapshots again or fails, as its {@code onLostPosition} says.
   */
  POSITION_LOST("positionLost");

  private final String yamlName;

  AlertEvent(String yamlName) {
    this.yamlName = yamlName;
  }

  public String yamlName() {
    return yamlName;
  }

  public static List<String> yamlNames() {
    return Arrays.stream(values()).map(AlertEvent::yamlName).toList();
  }

  public static Optional<AlertEvent> of(String name) {
    return Arrays.stream(values()).filter(e -> e.yamlName.equals(name)).findFirst();
  }
}
