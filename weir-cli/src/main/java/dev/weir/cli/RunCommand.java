package dev.weir.cli;

import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.engine.RunListener;
import dev.weir.engine.RunListeners;
import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import dev.weir.lineage.LineageConfig;
import dev.weir.lineage.LineageEmitter;
import dev.weir.store.StateStore;
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
          "Send OpenLineage events of the task runs to a JSON-lines file or a Marquez URL"
              + " (default: $WEIR_LINEAGE; the key of a URL from $WEIR_LINEAGE_API_KEY).")
  String lineage = System.getenv("WEIR_LINEAGE");

  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new WeirException(
          "flow file not found: " + file.toAbsolutePath() + " (give the path to a .yaml file)");
    }
    Path home = storeOptions.home(file.toAbsolutePath().getParent().resolve(".weir"));
    PrintWriter out = spec.commandLine().getOut();
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
      try (Engine engine = EngineFactory.create(store, home, listener);
          LineageEmitter events = emitter) { // null when off: try-with-resources skips it
        engineRef.set(engine);
        var parsed = engine.parser().read(file);
        Flow flow = parsed.flow();
        // on stderr, so that --json output stays one document
        parsed.warnings().forEach(w -> spec.commandLine().getErr().println(w));
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
          out.printf(
              "Running %s.%s (%d tasks)%n", flow.namespace(), flow.id(), flow.allTasks().size());
          notePools(flow, out);
          out.flush();
        }
        RunHandle handle = engine.start(flow, file, inputs, "manual");
        return Watch.await(handle, store, json, out, Watch.homeHint(home));
      }
    }
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
