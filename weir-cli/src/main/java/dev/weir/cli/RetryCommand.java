package dev.weir.cli;

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
    return Continue.execute(spec, storeOptions, json, "Retrying", engine -> engine.retry(runId));
  }
}
