package dev.weir.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.WeirException;
import dev.weir.config.ConnectionConfig;
import dev.weir.config.ProjectConfig;
import dev.weir.deadletter.DeadLetterStorage;
import dev.weir.deadletter.DeadLetterStorages;
import dev.weir.expr.Expressions;
import dev.weir.expr.Masker;
import dev.weir.expr.Secrets;
import dev.weir.store.DeadLetterRecord;
import dev.weir.store.StateStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weir deadletters list|show|replay}: the records tasks set aside. */
@Command(
    name = "deadletters",
    description = "Records tasks set aside (deadLetter:): list them, show them, replay them.",
    subcommands = {
      DeadLettersCommand.ListBatches.class,
      DeadLettersCommand.ShowBatch.class,
      ReplayCommand.class
    })
final class DeadLettersCommand {
  private DeadLettersCommand() {}

  @Command(name = "list", description = "Batches of dead letters, newest first.")
  static final class ListBatches implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--flow",
        paramLabel = "NS/ID",
        description = "Only letters of this flow: namespace/id, or the id alone.")
    String flow;

    @Option(
        names = "--run",
        paramLabel = "ID",
        description = "Only letters of this run (or id prefix).")
    String run;

    @Option(names = "--limit", defaultValue = "50")
    int limit;

    @Option(names = "--json", description = "Print JSON: {\"deadLetters\": [...]}.")
    boolean json;

    @Mixin StoreOptions storeOptions;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String namespace = null;
      String flowId = flow;
      if (flow != null && flow.contains("/")) {
        namespace = flow.substring(0, flow.lastIndexOf('/'));
        flowId = flow.substring(flow.lastIndexOf('/') + 1);
      }
      try (StateStore store = storeOptions.openExisting(storeOptions.home(null))) {
        List<DeadLetterRecord> batches = store.deadLetters().list(namespace, flowId, run, limit);
        if (json) {
          var root = JsonOut.MAPPER.createObjectNode();
          var array = root.putArray("deadLetters");
          batches.forEach(b -> array.add(json(b)));
          JsonOut.print(out, root);
          return 0;
        }
        if (batches.isEmpty()) {
          out.println("no dead letters" + (flow == null && run == null ? "" : " for this filter"));
          return 0;
        }
        out.printf(
            Locale.ROOT,
            "%-16s %-24s %-16s %-16s %8s %-19s %s%n",
            "ID",
            "FLOW",
            "RUN",
            "TASK",
            "LETTERS",
            "CREATED",
            "REPLAYED");
        for (DeadLetterRecord b : batches) {
          out.printf(
              Locale.ROOT,
              "%-16s %-24s %-16s %-16s %8d %-19s %s%n",
              b.id(),
              b.namespace() + "." + b.flowId(),
              b.runId() == null ? "-" : b.runId(),
              b.taskId() + (b.attempt() > 1 ? " #" + b.attempt() : ""),
              b.letters(),
              RunsCommand.TIME.format(b.createdAt()),
              b.replayedAt() == null
                  ? "-"
                  : RunsCommand.TIME.format(b.replayedAt()) + " " + b.replayOutcome());
        }
        return 0;
      }
    }
  }

  @Command(name = "show", description = "One batch: where it is, and its first letters.")
  static final class ShowBatch implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--limit", defaultValue = "20", description = "Letters to show (default 20).")
    int limit;

    @Option(names = "--json", description = "Print JSON: the batch and {\"letters\": [...]}.")
    boolean json;

    @Mixin StoreOptions storeOptions;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (StateStore store = storeOptions.openExisting(storeOptions.home(null))) {
        DeadLetterRecord b = find(store, id);
        List<ObjectNode> letters = read(b, limit, storeOptions.surroundings(), store);
        if (json) {
          ObjectNode root = json(b);
          var array = root.putArray("letters");
          letters.forEach(array::add);
          JsonOut.print(out, root);
          return 0;
        }
        out.printf("Batch     %s%n", b.id());
        out.printf("Flow      %s.%s%n", b.namespace(), b.flowId());
        out.printf("Run       %s%n", b.runId() == null ? "-" : b.runId());
        out.printf("Task      %s (%s), attempt %d%n", b.taskId(), b.taskType(), b.attempt());
        out.printf(Locale.ROOT, "Letters   %,d of %,d records handled%n", b.letters(), b.handled());
        out.printf("Where     %s%n", b.location());
        out.printf("Created   %s%n", RunsCommand.TIME.format(b.createdAt()));
        if (b.replayedAt() != null) {
          out.printf(
              "Replayed  %s by run %s: %s%n",
              RunsCommand.TIME.format(b.replayedAt()), b.replayRun(), b.replayOutcome());
        }
        out.println();
        int n = 0;
        for (ObjectNode l : letters) {
          out.printf("%d. %s%n   %s%n", ++n, l.path("reason").asText(), l.get("record"));
        }
        if (b.letters() > letters.size()) {
          out.printf(
              Locale.ROOT,
              "… %,d more (--limit %d shows more)%n",
              b.letters() - letters.size(),
              Math.max(limit * 5, 100));
        }
        return 0;
      }
    }
  }

  static DeadLetterRecord find(StateStore store, String id) {
    return store
        .deadLetters()
        .find(id)
        .orElseThrow(() ->
            new WeirException(
                "no dead-letter batch '"
                    + id
                    + "' (or the prefix matches several); `weir deadletters list` shows them"));
  }

  /** The first {@code limit} letters of a batch, from wherever its task kept them. */
  static List<ObjectNode> read(DeadLetterRecord b, int limit, Surroundings s, StateStore store)
      throws Exception {
    return read(b, limit, s, flowDir(b, store));
  }

  /**
   * The same, with the connections of the weir.yaml beside {@code flowDir}.
   *
   * @throws WeirException naming the batch, its run, where the letters were and the fix, when they
   *     cannot be read (a directory deleted, an S3 endpoint or a database down)
   */
  static List<ObjectNode> read(DeadLetterRecord b, int limit, Surroundings s, Path flowDir)
      throws Exception {
    try {
      return DeadLetterStorages.forLocation(b.location())
          .read(
              b.location(),
              limit,
              new DeadLetterStorage.Environment(flowDir, connections(s, flowDir)));
    } catch (WeirException e) {
      throw e;
    } catch (Exception e) {
      throw LetterReadFailure.of(b, e, flowDir);
    }
  }

  /** The directory of the flow file of the batch's run; the current directory without one. */
  static Path flowDir(DeadLetterRecord b, StateStore store) {
    if (b.runId() != null) {
      var run = store.findRun(b.runId());
      if (run.isPresent() && run.get().flowFile() != null) {
        Path p = Path.of(run.get().flowFile()).getParent();
        if (p != null) {
          return p;
        }
      }
    }
    return Path.of("").toAbsolutePath();
  }

  /** Connections of the weir.yaml beside the flow, secrets rendered as the engine renders them. */
  static java.util.function.Function<String, ConnectionConfig> connections(
      Surroundings s, Path flowDir) {
    ProjectConfig project = ProjectConfig.find(flowDir);
    String dir = s.env("WEIR_SECRETS_DIR");
    var secrets = new Secrets(s.env(), dir == null ? null : s.resolve(Path.of(dir)), new Masker());
    var services = new Expressions.Services(secrets, InstantSource.system());
    var expressions = new Expressions();
    return name ->
        project.connection(
            name, t -> Expressions.isTemplate(t) ? expressions.render(t, Map.of(), services) : t);
  }

  static ObjectNode json(DeadLetterRecord b) {
    ObjectNode o = JsonOut.MAPPER.createObjectNode();
    o.put("id", b.id());
    o.put("namespace", b.namespace());
    o.put("flow", b.flowId());
    o.put("run", b.runId());
    o.put("task", b.taskId());
    o.put("taskType", b.taskType());
    o.put("attempt", b.attempt());
    o.put("letters", b.letters());
    o.put("handled", b.handled());
    o.put("firstReason", b.firstReason());
    o.put("location", b.location());
    o.put("createdAt", b.createdAt().toString());
    o.put("replayedAt", b.replayedAt() == null ? null : b.replayedAt().toString());
    o.put("replayRun", b.replayRun());
    o.put("replayOutcome", b.replayOutcome());
    return o;
  }
}
