package dev.weir.flow.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of a flow's {@code alerts:}: which events go to which channel.
 *
 * @param settings the channel's settings, unrendered (templates and secrets resolve at send time)
 * @param throttle the least time between two alerts of one event to this channel; null for the
 *     server's default
 * @param index the entry's position in {@code alerts:}, which tells throttles of two entries apart
 */
public record AlertRule(
    Set<AlertEvent> on, AlertChannel channel, ObjectNode settings, Duration throttle, int index) {
  public AlertRule {
    on = on.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(on));
    Objects.requireNonNull(channel, "channel");
    settings = settings.deepCopy();
  }

  public boolean hears(AlertEvent event) {
    return on.contains(event);
  }

  /** Names this entry in throttle state and logs: {@code slack#0}. */
  public String key() {
    return channel.yamlName() + "#" + index;
  }

  @Override
  public String toString() {
    // settings may hold a literal secret; they are never printed
    return "AlertRule[on=" + on + ", channel=" + channel.yamlName() + ", index=" + index + "]";
  }
}
