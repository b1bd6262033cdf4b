package dev.weir.server.triggers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.flow.trigger.TriggerDef;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.runs.RunLauncher;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the run of a trigger that fired: its {@code inputs} are rendered with what it passes
 * ({@code trigger.*}), then the launcher applies the flow's concurrency.
 */
final class Firing {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Engine engine;
  private final RunLauncher launcher;

  Firing(Engine engine, RunLauncher launcher) {
    this.engine = engine;
    this.launcher = launcher;
  }

  Engine engine() {
    return engine;
  }

  RunLauncher launcher() {
    return launcher;
  }

  /**
   * @param data what the trigger passes besides its id, {@code trigger.*} in expressions
   * @param logicalDate the run's logical date, null for now
   * @throws dev.weir.WeirException when an input does not render or the inputs are wrong
   */
  RunLauncher.Started start(
      DeployedFlow flow, TriggerDef trigger, Map<String, Object> data, Instant logicalDate) {
    var passed = new LinkedHashMap<String, Object>();
    passed.put("id", trigger.id());
    passed.putAll(data);
    var inputs = new LinkedHashMap<String, String>();
    trigger
        .inputs()
        .forEach((name, template) -> {
          try {
            inputs.put(
                name, engine.renderForTrigger(flow.flow(), template, trigger.type(), passed));
          } catch (WeirException e) {
            throw new WeirException(
                trigger.type()
                    + " trigger '"
                    + trigger.id()
                    + "' of "
                    + flow.key()
                    + " cannot render input '"
                    + name
                    + "': "
                    + e.getMessage(),
                e);
          }
        });
    return launcher.start(
        flow, new RunLauncher.Request(inputs, trigger.type(), logicalDate, passed));
  }

  /** What a stored run's trigger passed ({@code RunRecord.triggerData}), empty when nothing. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> decode(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }
}
