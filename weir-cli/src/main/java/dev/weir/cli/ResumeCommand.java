package dev.weir.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "resume",
    description =
        "Continue a run whose process stopped (crash, kill -9): succeeded tasks are kept,"
            + " interrupted ones run again.")
final class ResumeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run (or a unique prefix).")
  String runId;

  @Option(names = "--force", description = "Resume even if its recorded process looks alive.")
  boolean force;

  @Option(names = "--json", description = "Print only a JSON summary.")
  boolean json;

  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() {
    return Continue.execute(
        spec, storeOptions, json, "Resuming", engine -> engine.resume(runId, force));
  }
}
