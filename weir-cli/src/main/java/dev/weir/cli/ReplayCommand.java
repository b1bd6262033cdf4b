package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.WeirException;
import dev.weir.deadletter.Origin;
import dev.weir.deadletter.ReplayFlow;
import dev.weir.engine.Engine;
import dev.weir.engine.RunListener;
import dev.weir.flow.Flow;
import dev.weir.store.DeadLetterRecord;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir deadletters replay ID}: runs the task that set a batch aside again, as the flow file
 * says now (after a fix), over the batch's records only, in a run of its own. Rows that still fail
 * are set aside again by that run; the batch records the replay.
 */
@Command(
    name = "replay",
    description =
        "Process a batch's records again with the task as the flow file defines it now (after a"
            + " fix); rows that still fail stay dead letters. jdbc.load, and queue messages whose run"
            + " could not start (with --flow): other types say what"
            + " to do instead.")
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID")
  String id;

  @Option(
      names = "--force",
      description = "Replay a batch that was replayed before, or whose attempt failed.")
  boolean force;

  @Option(
      names = "--flow",
      paramLabel = "FILE",
      description =
          "The flow file, for a batch of queue messages whose run could not start (no run to"
              + " find it by): their runs start from it as it is now.")
  Path flowFile;

  @Mixin StoreOptions storeOptions;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Home home = storeOptions.home(null);
    try (StateStore store = storeOptions.openExisting(home)) {
      DeadLetterRecord b = DeadLettersCommand.find(store, id);
      boolean queue = QueueReplay.isQueueBatch(b);
      String why = queue ? null : ReplayFlow.cannotReplay(b.taskType(), b.runId());
      if (why != null) {
        throw new WeirException("cannot replay batch " + b.id() + ": " + why);
      }
      if (!queue && !force && attemptFailed(b, store)) {
        throw new WeirException(
            "batch "
                + b.id()
                + " is of attempt "
                + b.attempt()
                + " of task "
                + b.taskId()
                + " in run "
                + b.runId()
                + ", which failed for setting aside more than maxRejected: nothing of that attempt"
                + " was loaded, so a replay would load these "
                + b.letters()
                + " rows without the good ones. Fix the data and `weir retry "
                + b.runId()
                + "` instead (or add --force to load just these rows)");
      }
      if (b.replayedAt() != null && !force) {
        throw new WeirException(
            "batch "
                + b.id()
                + " was replayed at "
                + b.replayedAt()
                + " by run "
                + b.replayRun()
                + " ("
                + b.replayOutcome()
                + "); replaying it again "
                + (queue ? "starts their runs again" : "loads its rows again")
                + ": add --force if that is what you want");
      }
      if (queue) {
        return QueueReplay.replay(
            b, flowFile, store, home, storeOptions, out, spec.commandLine().getErr());
      }
      RunRecord original =
          store
              .findRun(b.runId())
              .orElseThrow(() ->
                  new WeirException(
                      "run " + b.runId() + " of batch " + b.id() + " is not in this store"));
      Path flowFile = Path.of(original.flowFile());
      if (!Files.isRegularFile(flowFile)) {
        throw new WeirException(
            "the flow file of run "
                + original.id()
                + " is gone ("
                + flowFile
                + "); replay reads"
                + " the task from it");
      }
      Path dir = home.dir().resolve("deadletters");
      Files.createDirectories(dir);
      Path records = dir.resolve("replay-" + b.id() + ".jsonl");
      writeRecords(b, records, store);
      String yaml = ReplayFlow.build(Files.readString(flowFile), b, records, dir);
      try (Engine engine =
          EngineFactory.create(
              store,
              home.dir(),
              RunListener.NONE,
              storeOptions.surroundings(),
              spec.commandLine().getErr())) {
        Flow flow = engine.parser().parse(flowFile.toString(), yaml);
        out.printf(
            "Replaying batch %s (%,d letters of %s.%s %s) with the task as %s defines it now%n",
            b.id(), b.letters(), b.namespace(), b.flowId(), b.taskId(), flowFile.getFileName());
        out.flush();
        RunRecord run =
            engine
                .start(
                    new Engine.StartRequest(
                        flow,
                        flowFile,
                        inputs(original),
                        "replay",
                        original.logicalDate(),
                        Map.of("deadLetters", b.id())))
                .await();
        String outcome = outcome(run, b, store);
        store.deadLetters().markReplayed(b.id(), Instant.now(), run.id(), outcome);
        out.printf("Run %s: %s%n", run.id(), outcome);
        return run.state() == RunState.SUCCEEDED ? 0 : Errors.FAILED;
      } finally {
        Files.deleteIfExists(records);
      }
    }
  }

  private void writeRecords(DeadLetterRecord b, Path file, StateStore store) throws Exception {
    List<ObjectNode> letters;
    try {
      letters = DeadLettersCommand.read(b, Integer.MAX_VALUE, storeOptions.surroundings(), store);
    } catch (WeirException e) {
      throw LetterReadFailure.with(e, "Nothing was replayed.");
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (ObjectNode l : letters) {
        w.write(JsonOut.MAPPER.writeValueAsString(l.get("record")));
        w.write('\n');
      }
    }
  }

  // a batch its attempt kept although the attempt failed: it set aside too many, and loaded none
  private static boolean attemptFailed(DeadLetterRecord b, StateStore store) {
    return store.taskRuns(b.runId()).stream()
        .anyMatch(t ->
            t.taskId().equals(b.taskId())
                && t.attempt() == b.attempt()
                && t.state() == dev.weir.store.TaskState.FAILED);
  }

  private static Map<String, String> inputs(RunRecord r) throws Exception {
    var out = new LinkedHashMap<String, String>();
    if (r.inputs() != null && !r.inputs().isBlank()) {
      JsonNode node = JsonOut.MAPPER.readTree(r.inputs());
      node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  /** {@code loaded 3, still dead 1 (batch …)}, or why the replay run failed. */
  private static String outcome(RunRecord run, DeadLetterRecord b, StateStore store)
      throws Exception {
    TaskRunRecord task = null;
    for (TaskRunRecord t : store.taskRuns(run.id())) {
      if (t.taskId().equals(b.taskId()) && (task == null || t.attempt() > task.attempt())) {
        task = t;
      }
    }
    if (run.state() != RunState.SUCCEEDED || task == null || task.outputs() == null) {
      String error = task != null && task.error() != null ? task.error() : run.error();
      return "failed: " + (error == null ? run.state().toString() : Progress.firstLine(error));
    }
    JsonNode outputs = JsonOut.MAPPER.readTree(task.outputs());
    long loaded = outputs.path("rows").asLong();
    long dead = outputs.path("rejected").asLong();
    String again =
        dead == 0
            ? ""
            : " (batch "
                + new Origin(b.namespace(), b.flowId(), run.id(), b.taskId(), task.attempt())
                    .batchId()
                + ")";
    return "loaded " + loaded + ", still dead " + dead + again;
  }
}
