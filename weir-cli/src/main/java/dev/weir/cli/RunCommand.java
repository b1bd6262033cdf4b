package dev.weir.cli;

import dev.weir.WeirException;
import dev.weir.engine.DryRun;
import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.engine.RunListener;
import dev.weir.engine.RunListeners;
import dev.weir.engine.TaskSelection;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowParser;
import dev.weir.flow.TaskDef;
import dev.weir.lineage.LineageConfig;
import dev.weir.lineage.LineageEmitter;
import dev.weir.store.StateStore;
import dev.weir.task.TaskRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Run a flow now, showing live progress.")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FLOW.yaml", description = "The flow file to run.")
  Path file;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "NAME=VALUE",
      description = "An input value; repeat for several.")
  Map<String, String> inputs = new LinkedHashMap<>();

  @Option(names = "--json", description = "Print only a JSON summary (for scripts).")
  boolean json;

  @Option(
      names = "--lineage",
      paramLabel = "FILE|URL",
      description =
          "Send OpenLineage events of the run and its tasks to a JSON-lines file or a Marquez URL"
              + " (default: $WEIR_LINEAGE; the key of a URL from $WEIR_LINEAGE_API_KEY).")
  String lineage = System.getenv("WEIR_LINEAGE");

  @Option(
      names = "--dry-run",
      description =
          "Validate, render every task's configuration with the inputs (secrets masked) and print"
              + " the plan; run nothing, store nothing.")
  boolean dryRun;

  @Option(
      names = "--task",
      paramLabel = "ID",
      description =
          "Run this task alone, reusing the datasets of the tasks before it from the flow's latest"
              + " run.")
  String task;

  @Option(
      names = "--from",
      paramLabel = "ID",
      description =
          "Run this task and every task after it, reusing the datasets of the tasks before it"
              + " from the flow's latest run.")
  String from;

  @Option(
      names = "--until-caught-up",
      description =
          "Change data capture tasks stop once they applied every change committed before they"
              + " started, instead of streaming until Ctrl-C.")
  boolean untilCaughtUp;

  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() {
    Surroundings surroundings = storeOptions.surroundings();
    Path file = surroundings.resolve(this.file);
    if (!Files.isRegularFile(file)) {
      throw new WeirException("flow file not found: " + file + " (give the path to a .yaml file)");
    }
    if (task != null && from != null) {
      throw new WeirException("give --task or --from, not both");
    }
    if (dryRun) {
      if (task != null || from != null) {
        throw new WeirException("--dry-run shows the whole flow; leave out --task and --from");
      }
      return dryRun(file);
    }
    Home home = storeOptions.home(file.getParent());
    PrintWriter out = spec.commandLine().getOut();
    // while the store opens
    var taskTypes = EngineFactory.loadTaskTypesAhead(surroundings, file.getParent());
    try (StateStore store = storeOptions.open(home)) {
      var progress = new DeferredListener();
      var engineRef = new java.util.concurrent.atomic.AtomicReference<Engine>();
      LineageEmitter emitter =
          lineage == null || lineage.isBlank()
              ? null
              : LineageEmitter.start(
                  lineageConfig(lineage), store, t -> engineRef.get().masker().mask(t));
      RunListener listener =
          emitter == null ? progress : new RunListeners().add(progress).add(emitter);
      TaskRegistry registry = EngineFactory.taskTypes(taskTypes);
      TaskTypes.warnSkipped(registry, spec.commandLine().getErr());
      try (Engine engine =
              EngineFactory.create(store, home.dir(), listener, surroundings, registry);
          LineageEmitter events = emitter) { // null when off: try-with-resources skips it
        engineRef.set(engine);
        if (untilCaughtUp) {
          engine.streamMode(dev.weir.task.StreamMode.UNTIL_CAUGHT_UP);
        }
        var parsed = engine.parser().read(file);
        Flow flow = parsed.flow();
        // on stderr, so that --json output stays one document
        parsed.warnings().forEach(w -> spec.commandLine().getErr().println(w));
        engine.checkInputs(flow, inputs); // refused before anything says "Running"
        TaskSelection selection =
            task != null
                ? TaskSelection.choose(flow, TaskSelection.Mode.TASK, task, store)
                : from != null
                    ? TaskSelection.choose(flow, TaskSelection.Mode.FROM, from, store)
                    : null;
        int width = flow.allTasks().stream().mapToInt(t -> t.id().length()).max().orElse(4);
        if (!json) {
          progress.target =
              new Progress(
                  out,
                  width,
                  flow.allTasks().stream()
                      .filter(t -> t.type().equals("log"))
                      .map(TaskDef::id)
                      .collect(java.util.stream.Collectors.toSet()));
          if (selection == null) {
            out.printf(
                "Running %s.%s (%d tasks)%n", flow.namespace(), flow.id(), flow.allTasks().size());
          } else {
            printSelection(flow, selection, out);
          }
          notePools(flow, out);
          out.flush();
        }
        var request = new Engine.StartRequest(flow, file, inputs, "manual", null, null);
        RunHandle handle =
            selection == null
                ? engine.start(request)
                : engine.startSelected(request, selection).handle();
        return Watch.await(handle, store, json, out, Watch.homeHint(home, surroundings));
      }
    }
  }

  private static void printSelection(Flow flow, TaskSelection selection, PrintWriter out) {
    out.printf(
        "Running %s.%s: %s (%d of %d tasks)%n",
        flow.namespace(),
        flow.id(),
        String.join(", ", selection.selected()),
        selection.selected().size(),
        flow.allTasks().size());
    selection
        .source()
        .ifPresent(r ->
            out.printf(
                "Reusing datasets of run %s (%s) for: %s%n",
                r.id(), REUSED_TIME.format(r.createdAt()), String.join(", ", selection.reused())));
  }

  static final java.time.format.DateTimeFormatter REUSED_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
          .withZone(java.time.ZoneId.systemDefault());

  /** Parses and renders without a store or an engine: a dry run leaves no trace. */
  private int dryRun(Path file) {
    Surroundings surroundings = storeOptions.surroundings();
    TaskRegistry registry = TaskTypes.load(surroundings, file.getParent());
    TaskTypes.warnSkipped(registry, spec.commandLine().getErr());
    Flow flow = new FlowParser(registry).parse(file);
    String secretsDir = surroundings.env("WEIR_SECRETS_DIR");
    DryRun plan =
        DryRun.of(
            flow,
            inputs,
            surroundings.env(),
            secretsDir == null ? null : surroundings.resolve(Path.of(secretsDir)));
    return DryRunReport.print(flow, plan, json, spec.commandLine().getOut());
  }

  /** {@code http(s)://…} is a lineage server, anything else a file. */
  static LineageConfig lineageConfig(String target) {
    if (target.startsWith("http://") || target.startsWith("https://")) {
      return LineageConfig.toUrl(
          java.net.URI.create(target), System.getenv("WEIR_LINEAGE_API_KEY"));
    }
    return LineageConfig.toFile(Path.of(target).toAbsolutePath());
  }

  /** Pools are the server's: one run alone has no other flows to share a resource with. */
  private static void notePools(Flow flow, PrintWriter out) {
    var pooled = flow.allTasks().stream().filter(t -> t.pool() != null).map(TaskDef::id).toList();
    if (!pooled.isEmpty()) {
      out.printf(
          "Note: pools apply in `weir server` only; this run ignores `pool:` (tasks %s)%n",
          String.join(", ", pooled));
    }
  }

  /** Lets the engine be built before the progress printer knows the task-id width. */
  static final class DeferredListener implements RunListener {
    volatile RunListener target = RunListener.NONE;

    @Override
    public void taskChanged(TaskDef task, dev.weir.store.TaskRunRecord r) {
      target.taskChanged(task, r);
    }

    @Override
    public void logged(dev.weir.store.LogLine line) {
      target.logged(line);
    }
  }
}
