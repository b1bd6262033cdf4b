package dev.weir.cli;

import dev.weir.flow.Durations;
import dev.weir.store.CheckRecord;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "runs",
    description = "List runs, show one, show its audit trail.",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class, AuditCommand.class})
final class RunsCommand {
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  @Command(name = "list", description = "Recent runs, newest first.")
  static final class ListRuns implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--flow", description = "Only runs of this flow id.")
    String flow;

    @Option(names = "--state", description = "Only runs in this state.")
    RunState state;

    @Option(names = "--limit", defaultValue = "20")
    int limit;

    @Option(names = "--json", description = "Print JSON: {\"runs\": [...]}, newest first.")
    boolean json;

    @Mixin StoreOptions storeOptions;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Home home = storeOptions.home(null);
      try (StateStore store = storeOptions.openExisting(home)) {
        List<RunRecord> runs = store.listRuns(new StateStore.RunQuery(null, flow, state, limit));
        if (json) {
          var root = JsonOut.MAPPER.createObjectNode();
          var array = root.putArray("runs");
          runs.forEach(r -> array.add(JsonOut.run(r)));
          JsonOut.print(out, root);
          return 0;
        }
        // which home answered matters as soon as there is more than one project
        out.println("Runs in " + (storeOptions.db != null ? store : home));
        if (runs.isEmpty()) {
          out.println("no runs yet");
          return 0;
        }
        out.printf(
            Locale.ROOT,
            "%-16s %-28s %-10s %-20s %8s%n",
            "RUN",
            "FLOW",
            "STATE",
            "STARTED",
            "TOOK");
        for (RunRecord r : runs) {
          out.printf(
              Locale.ROOT,
              "%-16s %-28s %-10s %-20s %8s%n",
              r.id(),
              r.namespace() + "." + r.flowId(),
              r.state(),
              r.startedAt() == null ? "-" : TIME.format(r.startedAt()),
              took(r));
        }
        return 0;
      }
    }
  }

  @Command(
      name = "show",
      description = "A run with every task attempt and the results of its quality checks.")
  static final class ShowRun implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin StoreOptions storeOptions;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (StateStore store = storeOptions.openExisting(storeOptions.home(null))) {
        RunRecord r = store.resolveRun(runId);
        List<TaskRunRecord> attempts = store.taskRuns(r.id());
        List<CheckRecord> checks = store.checks(r.id());
        if (json) {
          out.println(RunChecks.addTo(Watch.toJson(r, attempts), checks));
          return 0;
        }
        out.printf("Run      %s%n", r.id());
        out.printf("Flow     %s.%s (revision %s)%n", r.namespace(), r.flowId(), r.revision());
        out.printf("File     %s%n", r.flowFile());
        out.printf(
            "State    %s%s%n",
            r.state(), r.attempt() > 1 ? " (retry " + (r.attempt() - 1) + ")" : "");
        out.printf("Inputs   %s%n", r.inputs() == null ? "{}" : r.inputs());
        out.printf("Started  %s%n", r.startedAt() == null ? "-" : TIME.format(r.startedAt()));
        out.printf("Took     %s%n", took(r));
        if (r.error() != null) {
          out.printf("Error    %s%n", r.error());
        }
        out.println();
        out.printf(
            Locale.ROOT,
            "%-20s %4s %-16s %8s %12s  %s%n",
            "TASK",
            "TRY",
            "STATE",
            "TOOK",
            "ROWS",
            "DETAIL");
        for (TaskRunRecord t : attempts) {
          out.printf(
              Locale.ROOT,
              "%-20s %4d %-16s %8s %12s  %s%n",
              t.taskId(),
              t.attempt(),
              t.state(),
              t.duration() == null ? "-" : Durations.format(t.duration()),
              t.rows() >= 0 ? String.format(Locale.ROOT, "%,d", t.rows()) : "",
              t.error() != null
                  ? Progress.firstLine(t.error())
                  : t.outputs() == null ? "" : Progress.firstLine(t.outputs()));
        }
        RunChecks.print(out, checks);
        return 0;
      }
    }
  }

  static String took(RunRecord r) {
    if (r.startedAt() == null) {
      return "-";
    }
    if (r.endedAt() == null) {
      return "running";
    }
    return Durations.format(Duration.between(r.startedAt(), r.endedAt()));
  }
}
