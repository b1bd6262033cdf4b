package dev.weir.engine;

import dev.weir.engine.Engine.Prepared;
import dev.weir.engine.Engine.StartRequest;
import dev.weir.engine.Engine.Started;
import dev.weir.expr.Masker;
import dev.weir.flow.Flow;
import dev.weir.store.Claimant;
import dev.weir.store.Fence;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * New runs of an {@link Engine}: a start request checked and made a QUEUED run record ({@link
 * #prepare}), stored, and launched — at once and owned by this engine ({@link #startRun}, {@link
 * #startSelected}), or left in its flow's queue for a node to take ({@link #enqueue}).
 */
final class RunStarts {
  private final EngineServices services;
  private final StateStore store;
  private final RunVariables variables;
  private final RunInputs inputsOf;
  private final Masker masker;
  private final DatasetStaging staging;
  private final RunLaunches launches;

  RunStarts(
      EngineServices services,
      RunVariables variables,
      RunInputs inputsOf,
      DatasetStaging staging,
      RunLaunches launches) {
    this.services = services;
    this.store = services.store();
    this.variables = variables;
    this.inputsOf = inputsOf;
    this.masker = services.secrets().masker();
    this.staging = staging;
    this.launches = launches;
  }

  Prepared prepare(StartRequest request) {
    return inputsOf.masking(() -> prepareUnmasked(request));
  }

  Started startRun(StartRequest request) {
    Claimant who = services.claimant().get();
    Prepared p = ownedBy(prepare(request), who);
    store.write(
        new StateStore.Batch(List.of(p.run()), List.of(), List.of(), List.of()).ownedBy(who));
    return new Started(p.run(), launches.launch(p, List.of(), firstClaim(p, who)));
  }

  Started startSelected(StartRequest request, TaskSelection selection) {
    Claimant who = services.claimant().get();
    Prepared p = ownedBy(prepare(request), who);
    var dir = staging.root();
    List<TaskRunRecord> rows =
        selection.rows(request.flow(), p.run().id(), services.clock().instant()).stream()
            .map(r -> AdoptedDatasets.adopt(dir, r))
            .toList();
    store.write(new StateStore.Batch(List.of(p.run()), List.of(), rows, List.of()).ownedBy(who));
    return new Started(p.run(), launches.launch(p, rows, firstClaim(p, who)));
  }

  RunRecord enqueue(StartRequest request) {
    Prepared p = prepare(request);
    store.write(new StateStore.Batch(List.of(p.run()), List.of(), List.of(), List.of()));
    return p.run();
  }

  /** Starts a run {@link #ownedBy} made, once its record is stored with {@code Batch.ownedBy}. */
  RunHandle launchOwned(Prepared p, Claimant who) {
    return launches.launch(p, List.of(), firstClaim(p, who));
  }

  // a new run stored already claimed by this engine (see Batch.ownedBy): its fencing token is 1
  static Prepared ownedBy(Prepared p, Claimant who) {
    return new Prepared(
        p.run().withOwner(RunState.QUEUED, null, who.label()), p.flow(), p.inputs());
  }

  private static Ownership firstClaim(Prepared p, Claimant who) {
    return new Ownership(who, new Fence(p.run().id(), 1));
  }

  private Prepared prepareUnmasked(StartRequest request) {
    Flow flow = request.flow();
    Instant now = services.clock().instant();
    Instant logicalDate = request.logicalDate() == null ? now : request.logicalDate();
    String runId = RunIds.next(now);
    String triggerData = RunCodec.encodeTrigger(request.triggerData());
    var facts = new RunVariables.Facts(runId, logicalDate, request.trigger(), 1, triggerData);
    Map<String, Object> typed = variables.typedInputs(flow, facts, request.inputs());
    store.saveRevision(
        flow.source().hash(),
        flow.namespace(),
        flow.id(),
        flow.source().file(),
        flow.source().text());
    var run =
        new RunRecord(
            runId,
            flow.namespace(),
            flow.id(),
            flow.source().hash(),
            request.flowFile().toAbsolutePath().normalize().toString(),
            RunState.QUEUED,
            RunCodec.encodeInputs(typed, masker),
            logicalDate,
            request.trigger(),
            1,
            now,
            null,
            null,
            null,
            null,
            triggerData);
    return new Prepared(run, flow, typed);
  }
}
