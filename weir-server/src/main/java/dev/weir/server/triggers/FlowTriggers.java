package dev.weir.server.triggers;

import dev.weir.WeirException;
import dev.weir.flow.trigger.FlowTrigger;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.store.ServerStore;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code type: flow} triggers: when a run ends, every enabled flow following that flow in that
 * state starts one run, once per upstream run attempt ({@link ServerStore#markFired} keyed by the
 * run id). A chain of flow triggers never comes back to a flow already in it, except a flow
 * following its own end once (see {@link #loops}).
 *
 * <p>Each trigger's mark is when it began listening (server start, or the flow's last change); at
 * start the server fires for upstream runs that ended since then and were missed (a crash, a stop
 * while runs finished in the grace period).
 */
final class FlowTriggers {
  private static final Logger log = LoggerFactory.getLogger(FlowTriggers.class);
  static final int CATCH_UP_RUNS = 1000;

  private final FlowRegistry flows;
  private final StateStore store;
  private final ServerStore fires;
  private final Firing firing;
  private final InstantSource clock;

  FlowTriggers(
      FlowRegistry flows, StateStore store, ServerStore fires, Firing firing, InstantSource clock) {
    this.flows = flows;
    this.store = store;
    this.fires = fires;
    this.firing = firing;
    this.clock = clock;
  }

  /**
   * A flow that changes (a new revision, enabled or disabled) listens anew from that moment: runs
   * that ended before, e.g. while it was disabled, are never caught up for it.
   */
  void listen() {
    flows.onChange(f -> triggers(f).forEach(t -> mark(f, t)));
  }

  /** Fires for runs that ended since each trigger's mark and were not fired for. */
  void catchUp() {
    Instant now = clock.instant();
    for (DeployedFlow f : flows.all()) {
      for (FlowTrigger t : triggers(f)) {
        var since = fires.mark(f.flow().namespace(), f.flow().id(), t.id());
        if (since.isPresent()) {
          var ended = new ArrayList<RunRecord>();
          for (var state : t.states()) {
            store
                .listRuns(new StateStore.RunQuery(t.namespace(), t.flow(), state, CATCH_UP_RUNS))
                .stream()
                .filter(r -> r.endedAt() != null && !r.endedAt().isBefore(since.get()))
                .forEach(ended::add);
          }
          ended.sort(Comparator.comparing(RunRecord::endedAt));
          ended.forEach(run -> fire(f, t, run));
        }
        fires.setMark(f.flow().namespace(), f.flow().id(), t.id(), now);
      }
    }
  }

  /** Starts the runs that {@code run}'s end fires. */
  void runEnded(RunRecord run) {
    if (!run.state().isTerminal()) {
      return;
    }
    for (DeployedFlow f : flows.all()) {
      for (FlowTrigger t : triggers(f)) {
        if (t.matches(run.namespace(), run.flowId(), run.state())) {
          fire(f, t, run);
        }
      }
    }
  }

  private void fire(DeployedFlow f, FlowTrigger t, RunRecord upstream) {
    if (!f.enabled() || t.disabled() || !firing.launcher().accepting()) {
      return; // a stopping server leaves it to the catch-up at its next start
    }
    List<String> chain = chain(upstream);
    if (loops(chain, f.key().toString())) {
      log.info(
          "flow trigger {} of {} does not fire for run {}: it would run {} again in the chain {}",
          t.id(),
          f.key(),
          upstream.id(),
          f.key(),
          String.join(" -> ", chain));
      return;
    }
    String key = upstream.attempt() == 1 ? upstream.id() : upstream.id() + "/" + upstream.attempt();
    String ns = f.flow().namespace();
    String id = f.flow().id();
    if (fires.hasFired(ns, id, t.id(), key)
        || !fires.markFired(ns, id, t.id(), key, clock.instant())) {
      return;
    }
    try {
      var data = new LinkedHashMap<String, Object>();
      data.put("upstream", upstream(upstream));
      data.put("chain", chain);
      var started = firing.start(f, t, data, upstream.logicalDate());
      started.run().ifPresent(r -> fires.setFiredRun(ns, id, t.id(), key, r.id()));
      log.info(
          "flow trigger {} of {} fired for run {} of {}/{} ({}): {}",
          t.id(),
          f.key(),
          upstream.id(),
          upstream.namespace(),
          upstream.flowId(),
          upstream.state(),
          started.run().map(RunRecord::id).orElse(started.reason()));
    } catch (WeirException e) {
      if (!firing.launcher().accepting()) {
        fires.unmarkFired(ns, id, t.id(), key);
        return;
      }
      log.warn(
          "flow trigger {} of {} could not start a run for run {}: {}",
          t.id(),
          f.key(),
          upstream.id(),
          firing.engine().masker().mask(e.getMessage()));
    }
  }

  /**
   * Whether starting {@code target} after the flows in {@code chain} (oldest first, the upstream
   * last) would loop: a flow may follow its own end once (a retry on failure), but no chain may
   * come back to a flow already in it, so that A→B→A or a failing self-trigger stops.
   */
  static boolean loops(List<String> chain, String target) {
    int seen = Collections.frequency(chain, target);
    boolean selfOnce = seen == 1 && chain.get(chain.size() - 1).equals(target);
    return seen > 0 && !selfOnce;
  }

  /** The flows that led to this run, oldest first, ending with its own. */
  static List<String> chain(RunRecord run) {
    var out = new ArrayList<String>();
    if ("flow".equals(run.trigger())
        && Firing.decode(run.triggerData()).get("chain") instanceof List<?> before) {
      before.forEach(x -> out.add(String.valueOf(x)));
    }
    out.add(new FlowKey(run.namespace(), run.flowId()).toString());
    return out;
  }

  /** {@code trigger.upstream}: the run, and the outputs of the last attempt of each task. */
  private Map<String, Object> upstream(RunRecord run) {
    var outputs = new LinkedHashMap<String, Object>();
    var latest = new LinkedHashMap<String, TaskRunRecord>();
    for (TaskRunRecord t : store.taskRuns(run.id())) {
      latest.merge(t.taskId(), t, (a, b) -> a.attempt() >= b.attempt() ? a : b);
    }
    latest.forEach((task, t) -> {
      if (t.outputs() != null) {
        outputs.put(task, Firing.decode(t.outputs()));
      }
    });
    var u = new LinkedHashMap<String, Object>();
    u.put("namespace", run.namespace());
    u.put("flow", run.flowId());
    u.put("runId", run.id());
    u.put("state", run.state().name());
    u.put("logicalDate", run.logicalDate() == null ? null : run.logicalDate().toString());
    u.put("outputs", outputs);
    return u;
  }

  private void mark(DeployedFlow f, FlowTrigger t) {
    fires.setMark(f.flow().namespace(), f.flow().id(), t.id(), clock.instant());
  }

  private static List<FlowTrigger> triggers(DeployedFlow f) {
    return f.flow().triggers().stream()
        .filter(t -> t instanceof FlowTrigger)
        .map(t -> (FlowTrigger) t)
        .toList();
  }
}
