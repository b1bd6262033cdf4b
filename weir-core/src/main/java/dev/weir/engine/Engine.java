package dev.weir.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weir.WeirException;
import dev.weir.config.ProjectConfig;
import dev.weir.expr.ExpressionException;
import dev.weir.expr.Expressions;
import dev.weir.expr.Masker;
import dev.weir.expr.RenderLimits;
import dev.weir.expr.Scope;
import dev.weir.expr.Secrets;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.flow.InputType;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * Runs flows durably: {@link #start}, {@link #resume} after a crash, {@link #retry} a failed run
 * from its failed tasks. One engine serves many runs; each run has its own coordinator thread.
 */
public final class Engine implements AutoCloseable {
  private final StateStore store;
  private final TaskRegistry registry;
  private final FlowParser parser;
  private final Options options;
  private final Expressions expressions;
  private final ScheduledExecutorService timers;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private final LogSink logs;
  private final Secrets secrets;
  private final EngineServices services;
  private final java.util.Set<String> active = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final SubflowHost subflows;

  /**
   * @param home where staging data lives ({@code <home>/staging/<run>/<task>})
   * @param environment the process environment: secrets ({@code WEIR_SECRET_*}) and what child
   *     processes inherit
   * @param secretsDir a directory of secret files, or null
   * @param gate what an attempt waits for before it runs (pools, circuit breakers); none by default
   * @param subflows where subflow tasks find and start flows; null for {@link LocalSubflows} (the
   *     flow files beside the parent's and in its project, run on this engine)
   */
  public record Options(
      Path home,
      InstantSource clock,
      Map<String, String> environment,
      Path secretsDir,
      RunListener listener,
      TaskGate gate,
      SubflowHost subflows) {
    public Options {
      clock = clock == null ? InstantSource.system() : clock;
      environment = environment == null ? System.getenv() : Map.copyOf(environment);
      listener = listener == null ? RunListener.NONE : listener;
      gate = gate == null ? TaskGate.NONE : gate;
    }

    public Options(
        Path home,
        InstantSource clock,
        Map<String, String> environment,
        Path secretsDir,
        RunListener listener,
        TaskGate gate) {
      this(home, clock, environment, secretsDir, listener, gate, null);
    }

    public Options(
        Path home,
        InstantSource clock,
        Map<String, String> environment,
        Path secretsDir,
        RunListener listener) {
      this(home, clock, environment, secretsDir, listener, null);
    }

    public static Options defaults(Path home) {
      return new Options(home, null, null, null, null);
    }

    public Options withListener(RunListener l) {
      return new Options(home, clock, environment, secretsDir, l, gate, subflows);
    }

    public Options withGate(TaskGate g) {
      return new Options(home, clock, environment, secretsDir, listener, g, subflows);
    }

    public Options withSubflows(SubflowHost s) {
      return new Options(home, clock, environment, secretsDir, listener, gate, s);
    }
  }

  public Engine(StateStore store, TaskRegistry registry, Options options) {
    this.store = store;
    this.registry = registry;
    this.parser = new FlowParser(registry);
    this.options = options;
    this.expressions = new Expressions(RenderLimits.fromEnvironment(options.environment()));
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("weir-timers").factory());
    this.logs = new LogSink(store);
    this.secrets = new Secrets(options.environment(), options.secretsDir(), new Masker());
    this.services =
        new EngineServices(
            store,
            registry,
            options.clock(),
            timers,
            workers,
            logs,
            secrets,
            options.listener(),
            options.gate(),
            RandomGenerator.getDefault(),
            owner());
    this.subflows = options.subflows() == null ? new LocalSubflows(this) : options.subflows();
  }

  public FlowParser parser() {
    return parser;
  }

  public Masker masker() {
    return secrets.masker();
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
   * Starts a run now.
   *
   * @throws WeirException when the inputs are wrong (nothing is stored then)
   */
  public RunHandle start(StartRequest request) {
    return startRun(request).handle();
  }

  /**
   * Checks {@code --input} values against the flow's inputs without storing or starting anything,
   * so a command can refuse them before it says it is running the flow.
   *
   * @return the typed inputs
   * @throws WeirException listing every problem with the inputs
   */
  public Map<String, Object> checkInputs(Flow flow, Map<String, String> inputs) {
    return masking(() -> typedInputs(flow, inputs, options.clock().instant()));
  }

  private Map<String, Object> typedInputs(Flow flow, Map<String, String> inputs, Instant at) {
    Map<String, Object> base = baseVariables(flow, DryRun.RUN_ID, at, "manual", 1, Map.of(), null);
    return InputResolver.resolve(flow, inputs, t -> expressions.render(t, base, renderServices()));
  }

  /**
   * Starts a run of some tasks only ({@code weir run --task/--from}): the tasks before them are
   * taken over from the earlier run the selection chose, the others are skipped.
   *
   * @throws WeirException when the inputs are wrong (nothing is stored then)
   */
  public Started startSelected(StartRequest request, TaskSelection selection) {
    Created c = build(request);
    Path staging = options.home().resolve("staging");
    List<TaskRunRecord> rows =
        selection.rows(request.flow(), c.run().id(), options.clock().instant()).stream()
            .map(r -> AdoptedDatasets.adopt(staging, r))
            .toList();
    store.write(new StateStore.Batch(List.of(c.run()), List.of(), rows, List.of()));
    return new Started(c.run(), launch(c.run(), request.flow(), c.inputs(), rows));
  }

  /** A run just created and started: its first record and its handle. */
  public record Started(RunRecord run, RunHandle handle) {}

  /** Like {@link #start(StartRequest)}, also returning the run's first record. */
  public Started startRun(StartRequest request) {
    Created c = create(request);
    return new Started(c.run(), launch(c.run(), request.flow(), c.inputs(), List.of()));
  }

  /**
   * Stores a QUEUED run without starting it; {@link #launchQueued} starts it later (a flow's
   * concurrency queue, a backfill waiting for its turn).
   *
   * @throws WeirException when the inputs are wrong (nothing is stored then)
   */
  public RunRecord enqueue(StartRequest request) {
    return create(request).run();
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
    return masking(() -> renderInputs(flow, trigger, inputs, triggerData));
  }

  private Map<String, String> renderInputs(
      Flow flow, String trigger, Map<String, String> inputs, Map<String, Object> triggerData) {
    var out = new LinkedHashMap<String, String>();
    for (var e : inputs.entrySet()) {
      try {
        out.put(e.getKey(), renderForTrigger(flow, e.getValue(), trigger, triggerData));
      } catch (WeirException x) {
        throw new WeirException("input '" + e.getKey() + "' of the trigger: " + x.getMessage(), x);
      }
    }
    return out;
  }

  /**
   * A run made ready by {@link #prepare} but not stored: the caller stores it (with rows of its
   * own, in one transaction) and then starts it with {@link #launchPrepared}.
   */
  public record Prepared(RunRecord run, Flow flow, Map<String, Object> inputs) {}

  /**
   * Checks a start request and makes its QUEUED run record without storing it. A scheduler firing
   * hundreds of slots at once stores them all, and what it fired, in one transaction.
   *
   * @throws WeirException when the inputs are wrong
   */
  public Prepared prepare(StartRequest request) {
    Created c = build(request);
    return new Prepared(c.run(), request.flow(), c.inputs());
  }

  /** Starts a run {@link #prepare} made, once its record is stored. */
  public RunHandle launchPrepared(Prepared prepared) {
    return launch(prepared.run(), prepared.flow(), prepared.inputs(), List.of());
  }

  private record Created(RunRecord run, Map<String, Object> inputs) {}

  private Created create(StartRequest request) {
    Created c = build(request);
    store.write(new StateStore.Batch(List.of(c.run()), List.of(), List.of(), List.of()));
    return c;
  }

  private Created build(StartRequest request) {
    return masking(() -> buildUnmasked(request));
  }

  /**
   * Runs {@code work}, masking secret values in the message of a {@link WeirException} it throws:
   * the message of a refused start or trigger goes to logs, API answers and stored records, and may
   * quote a value that came from a secret ("'…' is not a valid int"). The cause is dropped, as its
   * message may hold the value too.
   */
  private <T> T masking(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (ExpressionException e) {
      Masker m = secrets.masker();
      if (m.mask(e.getMessage()).equals(e.getMessage())) {
        throw e;
      }
      throw new ExpressionException(e.kind(), m.mask(e.problem()), m.mask(e.hint()), null);
    } catch (WeirException e) {
      String masked = secrets.masker().mask(e.getMessage());
      if (masked.equals(e.getMessage())) {
        throw e;
      }
      throw new WeirException(masked);
    }
  }

  private Created buildUnmasked(StartRequest request) {
    Flow flow = request.flow();
    Path flowFile = request.flowFile();
    Map<String, String> inputs = request.inputs();
    String trigger = request.trigger();
    Instant now = options.clock().instant();
    Instant logicalDate = request.logicalDate() == null ? now : request.logicalDate();
    String runId = RunIds.next(now);
    String triggerData = encodeTrigger(request.triggerData());
    Map<String, Object> base =
        baseVariables(flow, runId, logicalDate, trigger, 1, Map.of(), triggerData);
    Map<String, Object> typed =
        InputResolver.resolve(flow, inputs, t -> expressions.render(t, base, renderServices()));
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
            flowFile.toAbsolutePath().normalize().toString(),
            RunState.QUEUED,
            encodeInputs(typed, secrets.masker()),
            logicalDate,
            trigger,
            1,
            now,
            null,
            null,
            null,
            null,
            triggerData);
    return new Created(run, typed);
  }

  /** Starts a run that {@link #enqueue} stored. */
  public RunHandle launchQueued(String runId) {
    RunRecord run = store.resolveRun(runId);
    if (run.state() != RunState.QUEUED || run.owner() != null) {
      throw new WeirException("run " + run.id() + " is " + run.state() + ", not waiting to start");
    }
    Flow flow = flowOf(run);
    claim(run);
    return launch(run, flow, decodeInputs(flow, run), store.taskRuns(run.id()));
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
                  ? " (to run its failed tasks again use `weir" + " retry " + run.id() + "`)"
                  : ""));
    }
    if (active.contains(run.id())) {
      throw new WeirException("run " + run.id() + " is running in this process already");
    }
    if (!force && run.owner() != null && ownerAlive(run.owner())) {
      throw new WeirException(
          "run "
              + run.id()
              + " is still being executed by "
              + run.owner()
              + "; stop that process first, or pass --force if it is gone");
    }
    Flow flow = flowOf(run);
    claim(run);
    return launch(run, flow, decodeInputs(flow, run), store.taskRuns(run.id()));
  }

  /** Runs a failed or cancelled run again from the tasks that did not succeed. */
  public RunHandle retry(String runId) {
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
    claim(old);
    int attempt = old.attempt() + 1;
    RunRecord run = old.restarted(RunState.QUEUED, old.startedAt(), attempt, null);
    List<TaskRunRecord> rows = new ArrayList<>(store.taskRuns(old.id()));
    var latest = new LinkedHashMap<String, TaskRunRecord>();
    rows.forEach(r -> latest.merge(r.taskId(), r, (a, b) -> a.attempt() >= b.attempt() ? a : b));
    var fresh = new ArrayList<TaskRunRecord>();
    var restaged = new ArrayList<dev.weir.store.LogLine>();
    for (var def : flow.allTasks()) {
      TaskRunRecord r = latest.get(def.id());
      boolean succeeded =
          r != null
              && r.state() == TaskState.SUCCEEDED
              && def.phase() == dev.weir.flow.TaskDef.Phase.MAIN;
      boolean staged = succeeded && stagedDatasetPresent(r);
      if (!staged) {
        fresh.add(
            TaskRunRecord.pending(old.id(), def.id(), r == null ? 1 : r.attempt() + 1, attempt));
      }
      if (succeeded && !staged) {
        restaged.add(
            new dev.weir.store.LogLine(
                old.id(),
                def.id(),
                r.attempt() + 1,
                options.clock().instant(),
                "WARN",
                "the dataset attempt "
                    + r.attempt()
                    + " staged is gone (deleted by the staging retention, see `weir gc`);"
                    + " running this task again"));
      }
    }
    store.write(new StateStore.Batch(List.of(), List.of(run), fresh, List.of()));
    restaged.forEach(logs::add);
    rows.addAll(fresh);
    return launch(run, flow, decodeInputs(flow, run), rows);
  }

  /** A succeeded task's dataset is reusable while its staged file is there. */
  private static boolean stagedDatasetPresent(TaskRunRecord r) {
    dev.weir.task.Dataset d = DatasetCodec.decode(r.dataset());
    return d == null || Files.exists(d.path());
  }

  private RunHandle launch(
      RunRecord run, Flow flow, Map<String, Object> inputs, List<TaskRunRecord> rows) {
    Path flowFile = Path.of(run.flowFile());
    Path workDir = flowFile.getParent();
    Map<String, Object> base =
        baseVariables(
            flow,
            run.id(),
            run.logicalDate(),
            run.trigger(),
            run.attempt(),
            inputs,
            run.triggerData());
    var scope =
        new RunScope(
            run.id(),
            flow,
            workDir,
            options.home().resolve("staging"),
            ProjectConfig.find(workDir),
            expressions,
            renderServices(),
            base,
            childEnvironment(),
            services.store());
    scope.subflows = subflows;
    var coordinator = new RunCoordinator(services, scope, run, rows);
    active.add(run.id());
    coordinator.completion().whenComplete((r, e) -> active.remove(run.id()));
    Thread.ofPlatform().name("weir-run-" + run.id()).daemon().start(coordinator);
    return new RunHandle(run.id(), coordinator);
  }

  private Map<String, Object> baseVariables(
      Flow flow,
      String runId,
      Instant logicalDate,
      String trigger,
      int attempt,
      Map<String, Object> inputs,
      String triggerData) {
    return baseVariables(
        expressions,
        renderServices(),
        flow,
        runId,
        logicalDate,
        trigger,
        attempt,
        inputs,
        triggerData);
  }

  /** The variables every template of a run sees; static so a dry run needs no engine. */
  static Map<String, Object> baseVariables(
      Expressions expressions,
      Expressions.Services rendering,
      Flow flow,
      String runId,
      Instant logicalDate,
      String trigger,
      int attempt,
      Map<String, Object> inputs,
      String triggerData) {
    var ctx = new HashMap<String, Object>();
    var triggerScope = new LinkedHashMap<String, Object>(decodeTrigger(triggerData));
    triggerScope.putIfAbsent("type", trigger == null ? "manual" : trigger);
    ctx.put("trigger", Scope.of("trigger", triggerScope));
    ctx.put("inputs", Scope.of("inputs", inputs));
    ctx.put(
        "run",
        Scope.of(
            "run",
            Map.of(
                "id",
                runId,
                "logicalDate",
                ZonedDateTime.ofInstant(logicalDate, ZoneOffset.UTC),
                "trigger",
                trigger == null ? "manual" : trigger,
                "attempt",
                attempt)));
    ctx.put("flow", flowScope(flow));
    var vars = new LinkedHashMap<String, Object>();
    ctx.put("vars", Scope.of("vars", vars));
    for (var e : flow.variables().entrySet()) {
      var node = e.getValue();
      Object v =
          node.isTextual()
              ? expressions.render(node.textValue(), ctx, rendering)
              : node.isValueNode()
                  ? InputType.JSON.fromNode(node)
                  : DatasetCodec.JSON.convertValue(node, Object.class);
      vars.put(e.getKey(), v);
      ctx.put("vars", Scope.of("vars", vars));
    }
    return ctx;
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
    var data = new LinkedHashMap<String, Object>(triggerData == null ? Map.of() : triggerData);
    data.putIfAbsent("type", triggerType);
    Map<String, Object> vars = Map.of("trigger", scoped("trigger", data), "flow", flowScope(flow));
    return masking(() -> expressions.render(template, vars, renderServices()));
  }

  // maps at every depth explain a missing key: "'trigger.body' has no 'day' (known: ...)"
  private static Object scoped(String name, Object value) {
    if (value instanceof Map<?, ?> m) {
      var out = new LinkedHashMap<String, Object>();
      m.forEach((k, v) -> out.put(String.valueOf(k), scoped(name + "." + k, v)));
      return Scope.of(name, out);
    }
    return value;
  }

  private static Scope flowScope(Flow flow) {
    return Scope.of(
        "flow",
        Map.of(
            "id", flow.id(),
            "namespace", flow.namespace(),
            "revision", flow.source().hash()));
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

  private void claim(RunRecord run) {
    if (!store.claimRun(run, services.owner())) {
      throw new WeirException(
          "run "
              + run.id()
              + " was taken over by another process just now; see `weir runs show "
              + run.id()
              + "`");
    }
  }

  /** The flow definition a run was started with: its revision's stored text, parsed. */
  public Flow flowOf(RunRecord run) {
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
    return parser.parse(run.flowFile(), text);
  }

  /**
   * Inputs as stored with the run. One that holds a secret (a default of {@code secret('X')}) is
   * left out and rendered again on resume: storing it masked would change its value.
   */
  private static String encodeInputs(Map<String, Object> typed, Masker masker) {
    var m = new LinkedHashMap<String, String>();
    typed.forEach((k, v) -> {
      if (v == null) {
        return;
      }
      String text;
      try {
        text =
            v instanceof Map || v instanceof List
                ? DatasetCodec.JSON.writeValueAsString(v)
                : v.toString();
      } catch (JsonProcessingException e) {
        text = v.toString();
      }
      if (masker.mask(text).equals(text)) {
        m.put(k, text);
      }
    });
    try {
      return DatasetCodec.JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encodeTrigger(Map<String, Object> data) {
    if (data.isEmpty()) {
      return null;
    }
    try {
      return DatasetCodec.JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new WeirException(
          "trigger data cannot be stored as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> decodeTrigger(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return DatasetCodec.JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt trigger data: " + e.getOriginalMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> decodeInputs(Flow flow, RunRecord run) {
    Map<String, String> raw;
    try {
      raw = run.inputs() == null ? Map.of() : DatasetCodec.JSON.readValue(run.inputs(), Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt inputs of run " + run.id(), e);
    }
    var given = new LinkedHashMap<String, String>(raw);
    given.keySet().retainAll(flow.inputs().stream().map(i -> i.id()).toList());
    Map<String, Object> base =
        baseVariables(
            flow,
            run.id(),
            run.logicalDate(),
            run.trigger(),
            run.attempt(),
            Map.of(),
            run.triggerData());
    return InputResolver.resolve(flow, given, t -> expressions.render(t, base, renderServices()));
  }

  static String owner() {
    return host() + ":" + ProcessHandle.current().pid();
  }

  /** This machine's name, as run owners and recorded processes name it. */
  static String host() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = Files.readString(Path.of("/etc/hostname")).strip();
      } catch (Exception e) {
        host = "localhost";
      }
    }
    return host;
  }

  /**
   * Whether the process a run owner string ({@code host:pid}) names looks alive: a live pid on this
   * machine, or any process on another machine (which cannot be checked). This process is not.
   */
  public static boolean ownerAlive(String owner) {
    int colon = owner.lastIndexOf(':');
    if (colon < 0) {
      return false;
    }
    String host = owner.substring(0, colon);
    String me = owner();
    if (!host.equals(me.substring(0, me.lastIndexOf(':')))) {
      return true; // another machine: we cannot tell, so be careful
    }
    try {
      long pid = Long.parseLong(owner.substring(colon + 1));
      return pid != ProcessHandle.current().pid()
          && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
    workers.shutdownNow();
    logs.close();
  }
}
