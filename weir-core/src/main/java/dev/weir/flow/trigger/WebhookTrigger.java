package dev.weir.flow.trigger;

import java.util.Map;
import java.util.Objects;

/**
 * Fires when a request with the right key reaches the server's webhook endpoint.
 *
 * @param key the key callers must present, unrendered: usually {@code {{ secret('HOOK_KEY') }}}
 */
public record WebhookTrigger(String id, String key, Map<String, String> inputs, boolean disabled)
    implements TriggerDef {
  public static final String TYPE = "webhook";

  /** A literal key shorter than this is too easy to guess. */
  public static final int MIN_LITERAL_KEY = 16;

  public WebhookTrigger {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(key, "key");
    inputs = TriggerDef.copy(inputs);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String toString() {
    return "WebhookTrigger[id=" + id + ", inputs=" + inputs + ", disabled=" + disabled + "]";
  }
}
