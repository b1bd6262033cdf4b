package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.config.ProjectConfig;
import dev.weir.expr.Expressions;
import dev.weir.expr.Masker;
import dev.weir.expr.RenderLimits;
import dev.weir.expr.Secrets;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.store.Claimant;
import dev.weir.store.ClaimedRun;
import dev.weir.store.Fence;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.TaskRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs flows durably. Every run goes the same way: a {@link Prepared} run (checked inputs, a QUEUED
 * record) is stored, then launched on its own coordinator thread. {@link #start} does both; {@link
 * #prepare} and {@link #launchPrepared} let a caller store many at once; {@link #resume} after a
 * crash, {@link #retry} of a failed run and {@link #launchClaimed} launch a stored run again.
 */
public final class Engine implements AutoCloseable {
  private final StateStore store;
  private final FlowParser parser;
  private final Options options;
  private final Expressions expressions;
  private final RunVariables variables;
  private final RunInputs inputsOf;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final LogSink logs;
  private final Secrets secrets;
  private final EngineServices services;
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  private final Map<String, RunCoordinator> coordinators = new ConcurrentHashMap<>();
  private final SubflowHost subflows;
  // flowOf's last parses, by revision and file: immutable, so shared by every caller
  private final Map<String, Flow> parsedFlows =
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Flow> eldest) {
          return size() > 32;
        }
      };
  private final DatasetStaging staging;

  /**
   * @param home where staging data lives ({@code <home>/staging/<run>/<task>})
   * @param environment the process environment: secrets ({@code WEIR_SECRET_*}) and what child
   *     processes inherit
   * @param secretsDir a directory of secret files, or null
   * @param gate what an attempt waits for before it runs (pools, circuit breakers); none by default
   * @param timer what retry delays, timeouts and sensors wait on; a real one by default (tests pass
   *     one they advance, with the same object as {@code clock})
   * @param subflows where subflow tasks find and start flows; null for {@link LocalSubflows} (the
   *     flow files beside the parent's and in its project, run on this engine)
   * @param claimant who this engine takes runs over as, asked at each claim: a cluster node in its
   *     current epoch; null for this process ({@code host:pid})
   * @param staging where tasks stage their datasets; null for {@code <home>/staging}. The nodes of
   *     a cluster share one — a directory on a shared file system at one path, or a {@link
   *     StagingStore} (S3) each node caches in a directory of its own — so that a run another node
   *     adopts, or a task routed to a worker, reads the datasets staged elsewhere
   */
  public record Options(
      Path home,
      InstantSource clock,
      Map<String, String> environment,
      Path secretsDir,
      RunListener listener,
      TaskGate gate,
      EngineTimer timer,
      SubflowHost subflows,
      Supplier<Claimant> claimant,
      StagingArea staging) {
    public Options {
      staging =
          staging != null
              ? staging
              : home == null ? null : StagingArea.local(home.resolve("staging"));
      clock = clock == null ? InstantSource.system() : clock;
      environment = environment == null ? System.getenv() : Map.copyOf(environment);
      listener = listener == null ? RunListener.NONE : listener;
      gate = gate == null ? TaskGate.NONE : gate;
      if (claimant == null) {
        Claimant self = Claimant.process(RunOwner.self());
        claimant = () -> self;
      }
    }

    public Options(
        Path home,
        InstantSource clock,
        Map<String, String> environment,
        Path secretsDir,
        RunListener listener,
        TaskGate gate,
        EngineTimer timer,
        SubflowHost subflows) {
      this(home, clock, environment, secretsDir, listener, gate, timer, subflows, null, null);
    }

    public Options(
        Path home,
        InstantSource clock,
        Map<String, String> environment,
        Path secretsDir,
        RunListener listener,
        TaskGate gate) {
      this(home, clock, environment, secretsDir, listener, gate, null, null);
    }

    public Options(
        Path home,
        InstantSource clock,
        Map<String, String> environment,
        Path secretsDir,
        RunListener listener) {
      this(home, clock, environment, secretsDir, listener, null, null, null);
    }

    public static Options defaults(Path home) {
      return new Options(home, null, null, null, null);
    }

    public Options withListener(RunListener l) {
      return new Options(
          home, clock, environment, secretsDir, l, gate, timer, subflows, claimant, staging);
    }

    public Options withGate(TaskGate g) {
      return new Options(
          home, clock, environment, secretsDir, listener, g, timer, subflows, claimant, staging);
    }

    /** These options with {@code t} as the engine's timer and clock. */
    public <T extends EngineTimer & InstantSource> Options withTimer(T t) {
      return new Options(
          home, t, environment, secretsDir, listener, gate, t, subflows, claimant, staging);
    }

    public Options withSubflows(SubflowHost s) {
      return new Options(
          home, clock, environment, secretsDir, listener, gate, timer, s, claimant, staging);
    }

    public Options withClaimant(Supplier<Claimant> c) {
      return new Options(
          home, clock, environment, secretsDir, listener, gate, timer, subflows, c, staging);
    }

    /** These options with datasets staged in {@code dir} (a directory every node can read). */
    public Options withStaging(Path dir) {
      return withStaging(StagingArea.local(dir));
    }

    /** These options with datasets staged in {@code area} (with a store every node reads). */
    public Options withStaging(StagingArea area) {
      return new Options(
          home, clock, environment, secretsDir, listener, gate, timer, subflows, claimant, area);
    }
  }

  public Engine(StateStore store, TaskRegistry registry, Options options) {
    this.store = store;
    this.parser = new FlowParser(registry);
    this.options = options;
    this.expressions = new Expressions(RenderLimits.fromEnvironment(options.environment()));
    this.logs = new LogSink(store);
    this.secrets = new Secrets(options.environment(), options.secretsDir(), new Masker());
    this.variables = new RunVariables(expressions, renderServices());
    this.inputsOf = new RunInputs(variables, expressions, renderServices(), options.clock());
    this.services =
        new EngineServices(
            store,
            registry,
            options.clock(),
            options.timer() == null ? EngineTimer.system() : options.timer(),
            workers,
            logs,
            secrets,
            options.listener(),
            options.gate(),
            RandomGenerator.getDefault(),
            options.claimant(),
            new RoutedAttempts(store));
    this.subflows = options.subflows() == null ? new LocalSubflows(this) : options.subflows();
    this.staging = new DatasetStaging(options.staging());
  }

  public FlowParser parser() {
    return parser;
  }

  public Masker masker() {
    return secrets.masker();
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
    return inputsOf.masking(() -> prepareUnmasked(request));
  }

  /** Starts a run {@link #prepare} made, once its record is stored. */
  public RunHandle launchPrepared(Prepared prepared) {
    return launch(prepared, List.of(), claim(prepared.run(), false));
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
    Claimant who = services.claimant().get();
    Prepared p = ownedBy(prepare(request), who);
    store.write(
        new StateStore.Batch(List.of(p.run()), List.of(), List.of(), List.of()).ownedBy(who));
    return new Started(p.run(), launch(p, List.of(), firstClaim(p, who)));
  }

  /**
   * Starts a run of some tasks only ({@code weir run --task/--from}): the tasks before them are
   * taken over from the earlier run the selection chose, the others are skipped.
   *
   * @throws WeirException when the inputs are wrong (nothing is stored then)
   */
  public Started startSelected(StartRequest request, TaskSelection selection) {
    Claimant who = services.claimant().get();
    Prepared p = ownedBy(prepare(request), who);
    Path staging = options.staging().dir();
    List<TaskRunRecord> rows =
        selection.rows(request.flow(), p.run().id(), options.clock().instant()).stream()
            .map(r -> AdoptedDatasets.adopt(staging, r))
            .toList();
    store.write(new StateStore.Batch(List.of(p.run()), List.of(), rows, List.of()).ownedBy(who));
    return new Started(p.run(), launch(p, rows, firstClaim(p, who)));
  }

  // a new run stored already claimed by this engine (see Batch.ownedBy): its fencing token is 1
  private static Prepared ownedBy(Prepared p, Claimant who) {
    return new Prepared(
        p.run().withOwner(RunState.QUEUED, null, who.label()), p.flow(), p.inputs());
  }

  private static Ownership firstClaim(Prepared p, Claimant who) {
    return new Ownership(who, new Fence(p.run().id(), 1));
  }

  /**
   * Stores a QUEUED run without starting it, owned by nobody: the run of a flow with a concurrency
   * limit, which a node takes from the flow's queue ({@link StateStore#claimQueued}) and starts
   * with {@link #launchClaimed}.
   *
   * @throws WeirException when the inputs are wrong (nothing is stored then)
   */
  public RunRecord enqueue(StartRequest request) {
    Prepared p = prepare(request);
    store.write(new StateStore.Batch(List.of(p.run()), List.of(), List.of(), List.of()));
    return p.run();
  }

  private Prepared prepareUnmasked(StartRequest request) {
    Flow flow = request.flow();
    Instant now = options.clock().instant();
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
            RunCodec.encodeInputs(typed, secrets.masker()),
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

  // ---- launching a stored run again

  /** Whether a coordinator of this engine executes the run now (or is being started for it). */
  public boolean executes(String runId) {
    return active.contains(runId);
  }

  /** Who this engine takes runs over as now (see {@link Options#claimant()}). */
  public Claimant claimant() {
    return services.claimant().get();
  }

  /**
   * Starts a run {@code who} took from its flow's queue ({@link StateStore#claimQueued}); {@code
   * who} is what {@link #claimant()} gave for the claim.
   */
  public RunHandle launchClaimed(ClaimedRun claimed, Claimant who) {
    RunRecord run = claimed.run();
    Flow flow = flowOf(run);
    var owner = new Ownership(who, new Fence(run.id(), claimed.fence()));
    return launch(
        new Prepared(run, flow, inputsOf.stored(flow, run)), store.taskRuns(run.id()), owner);
  }

  /**
   * Continues a run whose process died: succeeded tasks are kept, interrupted ones run again.
   *
   * @param force resume even if the recorded owner process looks alive
   */
  public RunHandle resume(String runId, boolean force) {
    RunRecord run = store.resolveRun(runId);
    if (run.state().isTerminal()) {
      throw new WeirException(
          "run "
              + run.id()
              + " already ended "
              + run.state()
              + "; only a run that was interrupted can be resumed"
              + (run.state() == RunState.FAILED
                  ? " (to run its failed tasks again use `weir retry " + run.id() + "`)"
                  : ""));
    }
    if (active.contains(run.id())) {
      throw new WeirException("run " + run.id() + " is running in this process already");
    }
    if (!force && run.owner() != null && RunOwner.alive(run.owner())) {
      throw new WeirException(
          "run "
              + run.id()
              + " is still being executed by "
              + run.owner()
              + "; stop that process first, or pass --force if it is gone");
    }
    return relaunch(run, store.taskRuns(run.id()), force);
  }

  /** Runs a failed or cancelled run again from the tasks that did not succeed. */
  public RunHandle retry(String runId) {
    Retry r = storeRetry(runId, true);
    return launch(
        new Prepared(r.run(), r.flow(), inputsOf.stored(r.flow(), r.run())), r.rows(), r.owner());
  }

  /**
   * Stores the retry of a failed or cancelled run as {@link #retry} does, but leaves it QUEUED and
   * owned by nobody, for a node that executes runs to take ({@link StateStore#claimQueued}): an
   * API-only node of a cluster executes no run itself.
   */
  public RunRecord retryQueued(String runId) {
    return storeRetry(runId, false).run();
  }

  private record Retry(RunRecord run, Flow flow, List<TaskRunRecord> rows, Ownership owner) {}

  private Retry storeRetry(String runId, boolean here) {
    RunRecord old = store.resolveRun(runId);
    if (old.state() != RunState.FAILED && old.state() != RunState.CANCELLED) {
      throw new WeirException(
          "run "
              + old.id()
              + " is "
              + old.state()
              + "; only a FAILED or CANCELLED run can be retried"
              + (old.state().isTerminal()
                  ? ""
                  : " (an interrupted run is resumed: `weir resume " + old.id() + "`)"));
    }
    Flow flow = flowOf(old);
    Ownership owner = claim(old, false);
    int attempt = old.attempt() + 1;
    RunRecord run =
        old.restarted(
            RunState.QUEUED, old.startedAt(), attempt, here ? owner.claimant().label() : null);
    List<TaskRunRecord> rows = new ArrayList<>(store.taskRuns(old.id()));
    RetryPlan plan =
        RetryPlan.of(flow, old.id(), rows, attempt, options.clock().instant(), staging::present);
    store.write(
        new StateStore.Batch(List.of(), List.of(run), plan.fresh(), List.of())
            .fenced(owner.fence()));
    plan.notes().forEach(logs::add);
    rows.addAll(plan.fresh());
    return new Retry(run, flow, rows, owner);
  }

  private RunHandle relaunch(RunRecord run, List<TaskRunRecord> rows, boolean force) {
    Flow flow = flowOf(run);
    Ownership owner = claim(run, force);
    return launch(new Prepared(run, flow, inputsOf.stored(flow, run)), rows, owner);
  }

  /** The one way a run starts executing: its coordinator thread, on the stored run and rows. */
  private RunHandle launch(Prepared p, List<TaskRunRecord> rows, Ownership owner) {
    RunRecord run = p.run();
    if (!rows.isEmpty()) {
      // attempts an earlier owner routed to workers are its: this coordinator starts its own
      services.routed().forget(run.id());
    }
    RunScope scope = scopeOf(run, p.flow(), p.inputs());
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

  /** What the attempts of a stored run share, its succeeded tasks' outputs not yet in. */
  RunScope scopeOf(RunRecord run, Flow flow, Map<String, Object> inputs) {
    Path workDir = Path.of(run.flowFile()).getParent();
    var scope =
        new RunScope(
            run.id(),
            flow,
            workDir,
            staging,
            ProjectConfig.find(workDir),
            expressions,
            renderServices(),
            variables.of(flow, RunVariables.Facts.of(run), inputs),
            childEnvironment(),
            store);
    scope.subflows = subflows;
    return scope;
  }

  /** The typed inputs a stored run was started with. */
  Map<String, Object> inputsOf(Flow flow, RunRecord run) {
    return inputsOf.stored(flow, run);
  }

  EngineServices services() {
    return services;
  }

  // ---- routed attempts (cluster workers)

  /**
   * Sends attempts of the tasks {@code routing} picks to workers instead of running them here. Set
   * before runs start; {@link AttemptRouting#NONE} (the default) runs every attempt here.
   */
  public void route(AttemptRouting routing) {
    services.routed().route(routing);
  }

  /**
   * Another node says it took {@code runId} over: if this engine executes it, its coordinator asks
   * the store whether its claim still holds, and stops the run's attempts at once if not.
   */
  public void checkOwnership(String runId) {
    RunCoordinator c = coordinators.get(runId);
    if (c != null) {
      c.post(new EngineEvent.OwnershipCheck());
    }
  }

  /** {@link #checkOwnership} of every run this engine executes (takeovers may have been missed). */
  public void checkOwnershipOfAll() {
    coordinators.values().forEach(c -> c.post(new EngineEvent.OwnershipCheck()));
  }

  /**
   * A worker stored the result of a routed attempt (another node's signal): the attempts waiting
   * here look now instead of at their next poll.
   */
  public void routedResultsStored() {
    services.routed().wake();
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
    return new RoutedExecution(this).start(claimed, worker);
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
    return inputsOf.check(flow, inputs);
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
    return inputsOf.renderTriggerInputs(flow, trigger, inputs, triggerData);
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
    return inputsOf.renderForTrigger(flow, template, triggerType, triggerData);
  }

  private Expressions.Services renderServices() {
    return new Expressions.Services(secrets, options.clock());
  }

  private Map<String, String> childEnvironment() {
    var env = new HashMap<String, String>();
    options
        .environment()
        .forEach((k, v) -> {
          if (!k.startsWith(Secrets.ENV_PREFIX)) {
            env.put(k, v);
          }
        });
    return env;
  }

  // ---- ownership and stored flows

  /**
   * Takes the run over for this engine; the fence it gets goes with every write of the run from now
   * on.
   *
   * @param force also when a live cluster node owns it
   */
  private Ownership claim(RunRecord run, boolean force) {
    Claimant who = services.claimant().get();
    OptionalLong token = store.claimRun(run, who, force);
    if (token.isEmpty()) {
      throw new WeirException(
          "run "
              + run.id()
              + " was not taken over: another process took it just now, or the cluster node that"
              + " executes it is alive (its lease is current); see `weir runs show "
              + run.id()
              + "`");
    }
    return new Ownership(who, new Fence(run.id(), token.getAsLong()));
  }

  /**
   * Ends a run that no coordinator of this engine executes — one another node of a cluster runs, or
   * one a dead process left — by taking it over (whatever its owner: the owner's next write is
   * fenced off and it stops) and storing it ended, with its unfinished task runs.
   *
   * @return the run as stored
   */
  public RunRecord endElsewhere(RunRecord run, RunState state, String reason) {
    Ownership owner = claim(run, true);
    Instant now = options.clock().instant();
    var unfinished = new ArrayList<TaskRunRecord>();
    for (TaskRunRecord t : store.taskRuns(run.id())) {
      if (!t.state().isTerminal()) {
        TaskState ts = state == RunState.CANCELLED ? TaskState.CANCELLED : TaskState.FAILED;
        unfinished.add(t.ended(ts, now, reason, t.outputs(), t.dataset(), t.rows()));
      }
    }
    RunRecord ended = run.ended(state, now, reason);
    store.write(
        new StateStore.Batch(List.of(), List.of(ended), List.of(), unfinished)
            .fenced(owner.fence()));
    return ended;
  }

  /**
   * Stops executing every run this engine executes, writing nothing more for them, as {@link
   * #close} does, but the engine goes on: a cluster node that lost its lease gives its runs up, and
   * whoever adopts them continues them.
   *
   * @return how many runs were given up
   */
  public int abandonAll(String reason) {
    var given = List.copyOf(coordinators.values());
    given.forEach(c -> c.abandonNow(reason, false));
    return given.size();
  }

  /**
   * The flow definition a run was started with: its revision's stored text, parsed. The last few
   * are kept: a worker runs many attempts of one revision, a node adopts many runs of it.
   */
  public Flow flowOf(RunRecord run) {
    String key = run.revision() + "\u0000" + run.flowFile();
    synchronized (parsedFlows) {
      Flow kept = parsedFlows.get(key);
      if (kept != null) {
        return kept;
      }
    }
    String text =
        store
            .revisionText(run.revision())
            .orElseThrow(() ->
                new WeirException(
                    "the flow revision "
                        + run.revision()
                        + " of run "
                        + run.id()
                        + " is missing from the store"));
    Flow flow = parser.parse(run.flowFile(), text);
    synchronized (parsedFlows) {
      parsedFlows.put(key, flow);
    }
    return flow;
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
   * stopped: nothing more is written for them, and {@link #resume} continues them later.
   */
  @Override
  public void close() {
    coordinators.values().forEach(c -> c.abandonNow("the engine was closed", true));
    services.timer().close();
    services.routed().close();
    workers.shutdownNow();
    logs.close();
  }
}
