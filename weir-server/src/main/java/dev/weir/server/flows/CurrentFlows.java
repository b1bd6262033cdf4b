package dev.weir.server.flows;

import dev.weir.flow.Flow;
import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.SubflowCycles;
import dev.weir.server.NotFoundException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flows the registry holds now, each at its current revision: looked up by key, by file or
 * through the subflows of another, and the listeners told when one changes.
 */
final class CurrentFlows {
  // logs as the registry it works for
  private static final Logger log = LoggerFactory.getLogger(FlowRegistry.class);

  private final Map<FlowKey, DeployedFlow> flows = new ConcurrentHashMap<>();
  private final List<Consumer<DeployedFlow>> listeners = new CopyOnWriteArrayList<>();

  void onChange(Consumer<DeployedFlow> listener) {
    listeners.add(listener);
  }

  Collection<DeployedFlow> all() {
    return flows.values();
  }

  /** The flow, or null when none is held by that key. */
  DeployedFlow get(FlowKey key) {
    return flows.get(key);
  }

  /** The flow, or a not-found error naming it. */
  DeployedFlow require(FlowKey key) {
    DeployedFlow f = flows.get(key);
    if (f == null) {
      throw new NotFoundException(
          "no flow " + key + " on this server; list flows with GET /api/v1/flows");
    }
    return f;
  }

  /** The flow this file holds now, if one is held from it. */
  Optional<DeployedFlow> byFile(Path file) {
    Path f = file.toAbsolutePath().normalize();
    return flows.values().stream().filter(d -> d.file().equals(f)).findFirst();
  }

  void put(FlowKey key, DeployedFlow flow) {
    flows.put(key, flow);
  }

  /** Forgets a flow: the one forgotten, or null when none was held. */
  DeployedFlow remove(FlowKey key) {
    return flows.remove(key);
  }

  /** Forgets the flows {@code gone} says so of (it may act on each as it decides). */
  void removeIf(Predicate<DeployedFlow> gone) {
    flows.values().removeIf(gone);
  }

  /** Tells the listeners of a flow's change; one that fails does not keep it from the others. */
  void notifyChange(DeployedFlow f) {
    for (var l : listeners) {
      try {
        l.accept(f);
      } catch (RuntimeException e) {
        log.warn("a listener failed on the change of flow {}: {}", f.key(), e.toString());
      }
    }
  }

  /**
   * A flow whose subflow tasks lead back to it through the flows held (and those accepted earlier
   * in this batch) is refused as invalid, at the task that starts the ring.
   */
  void refuseSubflowCycle(Flow flow, List<FlowRegistry.Outcome> batch) {
    var accepted = new HashMap<String, Flow>();
    batch.stream()
        .filter(o -> o.flow() != null)
        .forEach(o -> accepted.put(o.flow().flow().qualifiedId(), o.flow().flow()));
    SubflowCycles.through(
            flow,
            k ->
                Optional.ofNullable(accepted.get(k))
                    // an id has no dots: the namespace is what comes before the last one
                    .or(() ->
                        Optional.ofNullable(
                                flows.get(
                                    new FlowKey(
                                        k.substring(0, k.lastIndexOf('.')),
                                        k.substring(k.lastIndexOf('.') + 1))))
                            .map(DeployedFlow::flow)))
        .ifPresent(c -> {
          throw new FlowDefinitionException(List.of(c.problem()));
        });
  }
}
