package dev.weir.flow.trigger;

import dev.weir.store.RunState;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Fires when a run of another flow (the upstream) ends in one of {@code states}.
 *
 * @param namespace the upstream's namespace (the flow's own when the YAML names none)
 * @param flow the upstream's id
 * @param states final run states that fire; {@code SUCCEEDED} when the YAML names none
 */
public record FlowTrigger(
    String id,
    String namespace,
    String flow,
    Set<RunState> states,
    Map<String, String> inputs,
    boolean disabled)
    implements TriggerDef {
  public static final String TYPE = "flow";

  public FlowTrigger {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(flow, "flow");
    states =
        states == null || states.isEmpty()
            ? Set.of(RunState.SUCCEEDED)
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(states));
    for (RunState s : states) {
      if (!s.isTerminal()) {
        throw new IllegalArgumentException(
            "a flow trigger fires on final run states only, got " + s);
      }
    }
    inputs = TriggerDef.copy(inputs);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** Whether a run of {@code namespace.flow} that ended in {@code state} fires this trigger. */
  public boolean matches(String runNamespace, String runFlow, RunState state) {
    return namespace.equals(runNamespace) && flow.equals(runFlow) && states.contains(state);
  }
}
