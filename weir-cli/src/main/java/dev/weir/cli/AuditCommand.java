package dev.weir.cli;

import dev.weir.audit.RunAudit;
import dev.weir.flow.Durations;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.task.DatasetRef;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weir runs audit RUN}: what a run read, wrote and set aside, per task and in total. */
@Command(
    name = "audit",
    description =
        "A run's audit trail: rows and bytes read, written and rejected, checksums and"
            + " datasets, per task and in total.")
final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Option(names = "--json", description = "Print JSON (the shape of GET /api/v1/runs/{id}/audit).")
  boolean json;

  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (StateStore store = storeOptions.openExisting(storeOptions.home(null))) {
      RunRecord r = store.resolveRun(runId);
      RunAudit audit = RunAudit.of(r, store.taskRuns(r.id()), store.audits(r.id()), Instant.now());
      if (json) {
        out.println(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(audit.toMap())
                .toPrettyString());
        return 0;
      }
      print(audit, out);
      return 0;
    }
  }

  static void print(RunAudit audit, PrintWriter out) {
    RunAudit.Summary s = audit.summary();
    out.printf("Run      %s (%s.%s)%n", s.runId(), s.namespace(), s.flowId());
    out.printf(
        "State    %s, took %s%n",
        s.state(), s.duration() == null ? "-" : Durations.format(s.duration()));
    var states = new StringBuilder();
    s.taskStates()
        .forEach((k, v) -> states.append(states.isEmpty() ? "" : ", ").append(k + " " + v));
    out.printf("Tasks    %d (%s)%n", s.tasks(), states);
    out.printf(
        Locale.ROOT,
        "Rows     read %,d, written %,d, rejected %,d%n",
        s.rowsRead(),
        s.rowsWritten(),
        s.rowsRejected());
    out.printf(Locale.ROOT, "Bytes    read %,d, written %,d%n", s.bytesRead(), s.bytesWritten());
    out.println();
    out.printf(
        Locale.ROOT,
        "%-20s %4s %-12s %10s %10s %9s %12s %12s  %s%n",
        "TASK",
        "TRY",
        "STATE",
        "READ",
        "WRITTEN",
        "REJECTED",
        "BYTES IN",
        "BYTES OUT",
        "CHECKSUM");
    for (RunAudit.TaskAudit t : audit.tasks()) {
      out.printf(
          Locale.ROOT,
          "%-20s %4d %-12s %10s %10s %9s %12s %12s  %s%n",
          t.taskId(),
          t.attempt(),
          t.state(),
          count(t.rowsRead()),
          count(t.rowsWritten()),
          count(t.rowsRejected()),
          count(t.bytesRead()),
          count(t.bytesWritten()),
          t.checksum() == null ? "" : t.checksum());
      t.inputs().forEach(d -> out.println("    in   " + describe(d)));
      t.outputs().forEach(d -> out.println("    out  " + describe(d)));
    }
  }

  private static String count(long n) {
    return n < 0 ? "-" : String.format(Locale.ROOT, "%,d", n);
  }

  private static String describe(DatasetRef d) {
    String rows = d.rows() < 0 ? "" : String.format(Locale.ROOT, " (%,d rows)", d.rows());
    return d.namespace() + " " + d.name() + rows;
  }
}
