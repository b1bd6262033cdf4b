package dev.weir.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.config.ProjectConfig;
import dev.weir.flow.Durations;
import dev.weir.staging.StagingGc;
import dev.weir.staging.StagingPolicy;
import dev.weir.store.StateStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "gc",
    description =
        "Delete the staged datasets that the staging retention says can go, now (it also runs"
            + " after every run). Runs that have not ended keep theirs.")
final class GcCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--dry-run",
      description = "Only print what would be deleted and what is kept, and why.")
  boolean dryRun;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      description =
          "Keep finished runs' staging at most this long (e.g. 3d, 12h, 0s); default: `staging:"
              + " {retention: …}` of the project's weir.yaml, else 7d.")
  String retention;

  @Option(names = "--json", description = "Print a JSON summary.")
  boolean json;

  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() {
    Path home = storeOptions.home(null).dir();
    StagingPolicy policy = EngineFactory.stagingPolicy(home);
    if (retention != null) {
      try {
        policy = policy.withRetention(Durations.parse(retention));
      } catch (IllegalArgumentException e) {
        throw new dev.weir.WeirException("--retention: " + e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (StateStore store = storeOptions.openExisting(storeOptions.home(null))) {
      StagingGc gc = EngineFactory.stagingGc(store, home, policy);
      StagingGc.Swept swept = dryRun ? gc.plan() : gc.sweep(true);
      if (json) {
        out.println(toJson(home, policy, swept));
      } else {
        print(out, home, policy, swept);
      }
      return 0;
    }
  }

  private void print(PrintWriter out, Path home, StagingPolicy policy, StagingGc.Swept swept) {
    Path parent = home.toAbsolutePath().normalize().getParent();
    Path config = parent == null ? null : ProjectConfig.find(parent).file();
    out.printf(
        Locale.ROOT,
        "Staging in %s (retention %s, keepFailed %s; %s)%n",
        home.resolve("staging").toAbsolutePath().normalize(),
        days(policy.retention()),
        policy.keepFailed(),
        retention != null
            ? "retention from --retention"
            : config == null ? "defaults, no weir.yaml" : "from " + config);
    String deleted = dryRun ? "would delete" : "deleted";
    for (StagingGc.Entry e : swept.entries()) {
      out.printf(
          Locale.ROOT,
          "  %-12s %-24s %-28s %-10s %9s  %s%n",
          e.verdict().deletes() ? deleted : "kept",
          e.runId(),
          e.run() == null ? "?" : e.run().namespace() + "." + e.run().flowId(),
          e.run() == null ? "?" : e.run().state(),
          bytes(e.bytes()),
          e.verdict().reason);
    }
    int kept = swept.entries().size() - swept.deleted().size();
    out.printf(
        Locale.ROOT,
        "%s the staging of %d run(s) (%s); kept %d run(s) (%s).%n",
        dryRun ? "Would delete" : "Deleted",
        swept.deleted().size(),
        bytes(swept.deletedBytes()),
        kept,
        bytes(swept.keptBytes()));
  }

  private String toJson(Path home, StagingPolicy policy, StagingGc.Swept swept) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("staging", home.resolve("staging").toAbsolutePath().normalize().toString());
    o.put("retention", policy.retention().toString());
    o.put("keepFailed", policy.keepFailed());
    o.put("dryRun", dryRun);
    ArrayNode runs = o.putArray("runs");
    for (StagingGc.Entry e : swept.entries()) {
      ObjectNode r = runs.addObject();
      r.put("runId", e.runId());
      r.put("flow", e.run() == null ? null : e.run().namespace() + "." + e.run().flowId());
      r.put("state", e.run() == null ? null : e.run().state().name());
      r.put("bytes", e.bytes());
      r.put("deleted", e.verdict().deletes());
      r.put("verdict", e.verdict().name());
      r.put("reason", e.verdict().reason);
    }
    o.put("deletedBytes", swept.deletedBytes());
    o.put("keptBytes", swept.keptBytes());
    return o.toString();
  }

  static String days(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toSeconds() % 86_400 == 0) {
      return d.toDays() + "d";
    }
    return Durations.format(d);
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
