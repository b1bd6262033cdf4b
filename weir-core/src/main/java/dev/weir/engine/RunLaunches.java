package dev.weir.engine;

import dev.weir.flow.Flow;
import dev.weir.store.RunRecord;
import dev.weir.store.TaskRunRecord;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs an {@link Engine} executes: each on a coordinator thread of its own, started by {@link
 * #launch} — the one way a run starts executing — and forgotten when it ends.
 */
final class RunLaunches {
  /** What the attempts of a stored run share ({@link RunScopes}). */
  interface Scopes {
    RunScope of(RunRecord run, Flow flow, Map<String, Object> inputs);
  }

  private final EngineServices services;
  private final Scopes scopes;
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  private final Map<String, RunCoordinator> coordinators = new ConcurrentHashMap<>();

  RunLaunches(EngineServices services, Scopes scopes) {
    this.services = services;
    this.scopes = scopes;
  }

  /** The one way a run starts executing: its coordinator thread, on the stored run and rows. */
  RunHandle launch(Engine.Prepared p, List<TaskRunRecord> rows, Ownership owner) {
    RunRecord run = p.run();
    if (!rows.isEmpty()) {
      // attempts an earlier owner routed to workers are its: this coordinator starts its own
      services.routed().forget(run.id());
    }
    RunScope scope = scopes.of(run, p.flow(), p.inputs());
    var coordinator = new RunCoordinator(services, scope, run, rows, owner);
    active.add(run.id());
    coordinators.put(run.id(), coordinator);
    coordinator
        .completion()
        .whenComplete((r, e) -> {
          // a coordinator given up ends after the run was taken again here: leave the new one be
          if (coordinators.remove(run.id(), coordinator)) {
            active.remove(run.id());
            services.routed().runEnded(run.id());
          }
        });
    Thread.ofPlatform().name("weir-run-" + run.id()).daemon().start(coordinator);
    return new RunHandle(run.id(), coordinator);
  }

  /** Whether a coordinator executes the run now (or is being started for it). */
  boolean executes(String runId) {
    return active.contains(runId);
  }

  /** Asks the run's coordinator, if there is one here, whether its claim still holds. */
  void checkOwnership(String runId) {
    RunCoordinator c = coordinators.get(runId);
    if (c != null) {
      c.post(new EngineEvent.OwnershipCheck());
    }
  }

  void checkOwnershipOfAll() {
    coordinators.values().forEach(c -> c.post(new EngineEvent.OwnershipCheck()));
  }

  /**
   * Stops every coordinator at once, writing nothing more for its run.
   *
   * @param resumable whether the runs are left to resume later (the engine closes), rather than to
   *     another node that continues them
   * @return how many runs were given up
   */
  int abandonAll(String reason, boolean resumable) {
    var given = List.copyOf(coordinators.values());
    given.forEach(c -> c.abandonNow(reason, resumable));
    return given.size();
  }
}
