package dev.weir.flow.trigger;

import java.util.List;
import java.util.Map;

/**
 * One entry of a flow's {@code triggers:} list: what starts runs of the flow in {@code weir
 * server}. Every trigger has an id (unique in its flow), may pass {@link #inputs()} to the runs it
 * starts, and may be {@link #disabled()}.
 */
public sealed interface TriggerDef
    permits ScheduleTrigger, WebhookTrigger, FlowTrigger, FileTrigger, QueueTrigger {

  /** The YAML {@code type:} names, in the order the docs list them. */
  List<String> TYPES =
      List.of(
          ScheduleTrigger.TYPE,
          WebhookTrigger.TYPE,
          FlowTrigger.TYPE,
          FileTrigger.TYPE,
          QueueTrigger.RABBITMQ,
          QueueTrigger.NATS,
          QueueTrigger.MQTT,
          QueueTrigger.KAFKA);

  String id();

  /** The YAML {@code type:} name, e.g. {@code schedule}. */
  String type();

  /**
   * Run inputs by name, unrendered: a value may be a template over {@code trigger.*}, {@code
   * flow.*}, {@code secret()} and {@code now()}.
   */
  Map<String, String> inputs();

  /** A disabled trigger stays in the flow but fires nothing. */
  boolean disabled();

  /** Copies a map of inputs, keeping its order; null reads as none. */
  static Map<String, String> copy(Map<String, String> inputs) {
    return inputs == null
        ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
  }
}
