package dev.weir.cli;

import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.store.StateStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "retry",
    description =
        "Run a FAILED or CANCELLED run again from its failed tasks, reusing the datasets"
            + " of the tasks that succeeded.")
final class RetryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run (or a unique prefix).")
  String runId;

  @Option(names = "--json", description = "Print only a JSON summary.")
  boolean json;

  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() {
    Path home = storeOptions.home(null);
    var out = spec.commandLine().getOut();
    try (StateStore store = storeOptions.open(home)) {
      var progress = new RunCommand.DeferredListener();
      try (Engine engine = EngineFactory.create(store, home, progress)) {
        if (!json) {
          progress.target = new Progress(out, 16, java.util.Set.of());
        }
        RunHandle h = engine.retry(runId);
        if (!json) {
          out.println("Retrying run " + h.runId());
          out.flush();
        }
        return Watch.await(h, store, json, out, Watch.homeHint(home));
      }
    }
  }
}
