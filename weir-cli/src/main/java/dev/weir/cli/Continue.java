package dev.weir.cli;

import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.store.StateStore;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/** What `resume` and `retry` share: open the store, start the run again, watch it. */
final class Continue {
  private Continue() {}

  static int execute(
      CommandSpec spec,
      StoreOptions storeOptions,
      boolean json,
      String verb,
      Function<Engine, RunHandle> restart) {
    Home home = storeOptions.home(null);
    var out = spec.commandLine().getOut();
    try (StateStore store = storeOptions.openExisting(home)) {
      var progress = new RunCommand.DeferredListener();
      try (Engine engine =
          EngineFactory.create(
              store,
              home.dir(),
              progress,
              storeOptions.surroundings(),
              spec.commandLine().getErr())) {
        if (!json) {
          progress.target = new Progress(out, 16, Set.of());
        }
        RunHandle h = restart.apply(engine);
        if (!json) {
          out.println(verb + " run " + h.runId());
          out.flush();
        }
        return Watch.await(h, store, json, out, Watch.homeHint(home, storeOptions.surroundings()));
      }
    }
  }
}
