package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.expr.Masker;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.store.Claimant;
import dev.weir.store.ClaimedRun;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.task.TaskRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs flows durably. Every run goes the same way: a {@link Prepared} run (checked inputs, a QUEUED
 * record) is stored, then launched on its own coordinator thread. {@link #start} does both; {@link
 * #prepare} and {@link #launchPrepared} let a caller store many at once; {@link #resume} after a
 * crash, {@link #retry} of a failed run and {@link #launchClaimed} launch a stored run again.
 *
 * <p>The engine is the facade: new runs are {@link RunStarts}', stored runs taken over again {@link
 * RunRestarts}', and the coordinators that execute them {@link RunLaunches}'. {@link EngineParts}
 * wires them together and releases what they share at {@link #close}; {@link RunScopes} makes what
 * a run's attempts share.
 */
public final class Engine implements AutoCloseable {
  private final FlowParser parser;
  private final EngineParts parts;

  public Engine(StateStore store, TaskRegistry registry, EngineOptions options) {
    this.parser = new FlowParser(registry);
    this.parts = new EngineParts(this, parser, store, registry, options);
  }

  /**
   * How stream tasks (change data capture) of the runs this engine starts from now on end: {@code
   * weir run --until-caught-up} makes them stop once caught up. A setting of the process rather
   * than of a stored run: a resumed run streams as its new process says.
   */
  public void streamMode(dev.weir.task.StreamMode mode) {
    parts.scopes.streamMode(mode);
  }

  public FlowParser parser() {
    return parser;
  }

  public Masker masker() {
    return parts.secrets.masker();
  }

  /**
   * What starts a run.
   *
   * @param logicalDate the schedule slot or backfill date the run is for; null means now
   * @param triggerData what the trigger passes, {@code trigger.*} in expressions; may be null
   */
  public record StartRequest(
      Flow flow,
      Path flowFile,
      Map<String, String> inputs,
      String trigger,
      Instant logicalDate,
      Map<String, Object> triggerData) {
    public StartRequest {
      inputs = inputs == null ? Map.of() : inputs;
      triggerData = triggerData == null ? Map.of() : triggerData;
    }
  }

  /**
   * A run made ready by {@link #prepare} but not stored: the caller stores it (with rows of its
   * own, in one transaction) and then starts it with {@link #launchPrepared}.
   */
  public record Prepared(RunRecord run, Flow flow, Map<String, Object> inputs) {}

  /** A run just created and started: its first record and its handle. */
  public record Started(RunRecord run, RunHandle handle) {}

  // ---- starting a new run: prepare → store → launch

  /**
   * Checks a start request and makes its QUEUED run record without storing it. A scheduler firing
   * hundreds of slots at once stores them all, and what it fired, in one transaction.
   *
   * @throws WeirException when the inputs are wrong
   */
  public Prepared prepare(StartRequest request) {
    return parts.starts.prepare(request);
  }

  /** Starts a run {@link #prepare} made, once its record is stored. */
  public RunHandle launchPrepared(Prepared prepared) {
    return parts.launches.launch(prepared, List.of(), parts.restarts.claim(prepared.run(), false));
  }

  /**
   * The prepared run owned by {@code who} from the start: stored in a batch {@link
   * StateStore.Batch#ownedBy who}, it is started by {@link #launchOwned} without a claim of its own
   * (one commit less per run), and no other start path can take it in between.
   */
  public Prepared ownedBy(Prepared prepared, Claimant who) {
    return RunStarts.ownedBy(prepared, who);
  }

  /** Starts a run {@link #ownedBy} made, once it is stored owned by {@code who}. */
  public RunHandle launchOwned(Prepared prepared, Claimant who) {
    return parts.starts.launchOwned(prepared, who);
  }

  /**
   * Starts a run of {@code flow} now.
   *
   * @param flowFile the flow's file; relative paths in the flow resolve beside it
   * @throws WeirException when the inputs are wrong (nothing is stored then)
   */
  public RunHandle start(Flow flow, Path flowFile, Map<String, String> inputs, String trigger) {
    return start(new StartRequest(flow, flowFile, inputs, trigger, null, null));
  }

  /**
   * Starts a run now.
   *
   * @throws WeirException when the inputs are wrong (nothing is stored then)
   */
  public RunHandle start(StartRequest request) {
    return startRun(request).handle();
  }

  /** Like {@link #start(StartRequest)}, also returning the run's first record. */
  public Started startRun(StartRequest request) {
    return parts.starts.startRun(request);
  }

  /**
   * Starts a run of some tasks only ({@code weir run --task/--from}): the tasks before them are
   * taken over from the earlier run the selection chose, the others are skipped.
   *
   * @throws WeirException when the inputs are wrong (nothing is stored then)
   */
  public Started startSelected(StartRequest request, TaskSelection selection) {
    return parts.starts.startSelected(request, selection);
  }

  /**
   * Stores a QUEUED run without starting it, owned by nobody: the run of a flow with a concurrency
   * limit, which a node takes from the flow's queue ({@link StateStore#claimQueued}) and starts
   * with {@link #launchClaimed}.
   *
   * @throws WeirException when the inputs are wrong (nothing is stored then)
   */
  public RunRecord enqueue(StartRequest request) {
    return parts.starts.enqueue(request);
  }

  // ---- launching a stored run again

  /** Whether a coordinator of this engine executes the run now (or is being started for it). */
  public boolean executes(String runId) {
    return parts.launches.executes(runId);
  }

  /** Who this engine takes runs over as now (see {@link EngineOptions#claimant()}). */
  public Claimant claimant() {
    return parts.services.claimant().get();
  }

  /**
   * Starts a run {@code who} took from its flow's queue ({@link StateStore#claimQueued}); {@code
   * who} is what {@link #claimant()} gave for the claim.
   */
  public RunHandle launchClaimed(ClaimedRun claimed, Claimant who) {
    return parts.restarts.launchClaimed(claimed, who);
  }

  /**
   * Continues a run whose process died: succeeded tasks are kept, interrupted ones run again.
   *
   * @param force resume even if the recorded owner process looks alive
   */
  public RunHandle resume(String runId, boolean force) {
    return parts.restarts.resume(runId, force);
  }

  /** Runs a failed or cancelled run again from the tasks that did not succeed. */
  public RunHandle retry(String runId) {
    return parts.restarts.retry(runId);
  }

  /**
   * Stores the retry of a failed or cancelled run as {@link #retry} does, but leaves it QUEUED and
   * owned by nobody, for a node that executes runs to take ({@link StateStore#claimQueued}): an
   * API-only node of a cluster executes no run itself.
   */
  public RunRecord retryQueued(String runId) {
    return parts.restarts.retryQueued(runId);
  }

  // ---- routed attempts (cluster workers)

  /**
   * Sends attempts of the tasks {@code routing} picks to workers instead of running them here. Set
   * before runs start; {@link AttemptRouting#NONE} (the default) runs every attempt here.
   */
  public void route(AttemptRouting routing) {
    parts.services.routed().route(routing);
  }

  /**
   * Another node says it took {@code runId} over: if this engine executes it, its coordinator asks
   * the store whether its claim still holds, and stops the run's attempts at once if not.
   */
  public void checkOwnership(String runId) {
    parts.launches.checkOwnership(runId);
  }

  /** {@link #checkOwnership} of every run this engine executes (takeovers may have been missed). */
  public void checkOwnershipOfAll() {
    parts.launches.checkOwnershipOfAll();
  }

  /**
   * A worker stored the result of a routed attempt (another node's signal): the attempts waiting
   * here look now instead of at their next poll.
   */
  public void routedResultsStored() {
    parts.services.routed().wake();
  }

  /**
   * Runs an attempt another node routed to this one (this process is its worker): the run's stored
   * flow, inputs and upstream outputs are read from the store, the task's templates rendered with
   * this process's secrets, and the result told through the returned work's outcome (JSON for
   * {@link dev.weir.store.AttemptQueue#finish}, secrets masked out).
   *
   * @param worker how the attempt's log names this worker ({@code node#epoch})
   */
  public RoutedWork runRouted(dev.weir.store.ClaimedAttempt claimed, String worker) {
    return new RoutedExecution(parts.services, parts.flows, parts.inputs, parts.scopes)
        .start(claimed, worker);
  }

  // ---- inputs and templates (see RunInputs)

  /**
   * Checks {@code --input} values against the flow's inputs without storing or starting anything,
   * so a command can refuse them before it says it is running the flow.
   *
   * @return the typed inputs
   * @throws WeirException listing every problem with the inputs
   */
  public Map<String, Object> checkInputs(Flow flow, Map<String, String> inputs) {
    return parts.inputs.check(flow, inputs);
  }

  /**
   * Renders a trigger's {@code inputs:} for one firing, before any run exists: the templates see
   * {@code trigger.*} ({@code triggerData}, plus {@code type}), {@code flow.*}, {@code secret()}
   * and {@code now()}. Pass the result as {@link StartRequest#inputs()}.
   *
   * @throws WeirException naming the input and what is wrong with its template
   */
  public Map<String, String> renderTriggerInputs(
      Flow flow, String trigger, Map<String, String> inputs, Map<String, Object> triggerData) {
    return parts.inputs.renderTriggerInputs(flow, trigger, inputs, triggerData);
  }

  /**
   * Renders a trigger's template (a webhook key, a trigger input) when the trigger fires, before
   * any run exists: it sees {@code trigger} (what the trigger passes, with {@code trigger.type}),
   * {@code flow}, {@code secret()} and {@code now()}. A secret it reads is masked from then on.
   *
   * @throws dev.weir.expr.ExpressionException naming the template and the known names
   */
  public String renderForTrigger(
      Flow flow, String template, String triggerType, Map<String, Object> triggerData) {
    return parts.inputs.renderForTrigger(flow, template, triggerType, triggerData);
  }

  // ---- runs of other owners and stored flows

  /**
   * Ends a run that no coordinator of this engine executes — one another node of a cluster runs, or
   * one a dead process left — by taking it over (whatever its owner: the owner's next write is
   * fenced off and it stops) and storing it ended, with its unfinished task runs.
   *
   * @return the run as stored
   */
  public RunRecord endElsewhere(RunRecord run, RunState state, String reason) {
    return parts.restarts.endElsewhere(run, state, reason);
  }

  /**
   * Stops executing every run this engine executes, writing nothing more for them, as {@link
   * #close} does, but the engine goes on: a cluster node that lost its lease gives its runs up, and
   * whoever adopts them continues them.
   *
   * @return how many runs were given up
   */
  public int abandonAll(String reason) {
    return parts.launches.abandonAll(reason, false);
  }

  /**
   * The flow definition a run was started with: its revision's stored text, parsed. The last few
   * are kept: a worker runs many attempts of one revision, a node adopts many runs of it.
   */
  public Flow flowOf(RunRecord run) {
    return parts.flows.of(run);
  }

  /** This machine's name, as run owners and recorded processes name it. */
  static String host() {
    return RunOwner.host();
  }

  /**
   * Whether the process a run owner string ({@code host:pid}) names looks alive: a live pid on this
   * machine, or any process on another machine (which cannot be checked). This process is not.
   */
  public static boolean ownerAlive(String owner) {
    return RunOwner.alive(owner);
  }

  /**
   * Stops the engine. Runs still going are abandoned as they are stored, as if the process had
   * stopped: nothing more is written for them, and {@link #resume} continues them later. Their
   * threads are interrupted, and close waits for them up to {@link #CLOSE_WAIT}, so that a task
   * does not go on after close has returned (one that ignores its interrupt longer is left, with a
   * warning).
   */
  @Override
  public void close() {
    parts.launches.abandonAll("the engine was closed", true);
    parts.close();
  }

  /** How long {@link #close} waits for the threads of abandoned runs to end. */
  static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(5);
}
