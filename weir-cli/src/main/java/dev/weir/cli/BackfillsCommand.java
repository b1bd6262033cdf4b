package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "backfills",
    description = "Backfills on a Weir server: list, show, pause, resume, cancel.",
    subcommands = {
      BackfillsCommand.ListBackfills.class,
      BackfillsCommand.Show.class,
      BackfillsCommand.Pause.class,
      BackfillsCommand.Resume.class,
      BackfillsCommand.Cancel.class
    })
final class BackfillsCommand {
  private static final String[] COUNTS = {
    "succeeded", "failed", "cancelled", "running", "queued", "pending", "errors"
  };

  /** "7 slots: 3 succeeded, 1 running, 3 pending": the counts that are not zero. */
  static String counts(JsonNode progress) {
    List<String> parts = new ArrayList<>();
    for (String c : COUNTS) {
      int n = progress.path(c).asInt();
      if (n > 0) {
        parts.add(n + " " + c);
      }
    }
    return progress.path("slots").asInt() + " slots: " + String.join(", ", parts);
  }

  private static void summary(PrintWriter out, JsonNode b) {
    out.printf(
        "%-22s %-32s %-9s %s%n",
        b.path("id").asText(),
        b.path("flow").asText(),
        b.path("state").asText(),
        counts(b.path("progress")));
  }

  @Command(name = "list", description = "Backfills, newest first.")
  static final class ListBackfills implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerClientOptions server;

    @Option(names = "--flow", paramLabel = "NAMESPACE/ID", description = "Only this flow's.")
    String flow;

    @Option(names = "--state", description = "Only in this state (RUNNING, PAUSED, …).")
    String state;

    @Option(names = "--json", description = "Print the server's JSON (GET /api/v1/backfills).")
    boolean json;

    @Override
    public Integer call() {
      String q = "?limit=100";
      if (flow != null) {
        q += "&flow=" + java.net.URLEncoder.encode(flow, java.nio.charset.StandardCharsets.UTF_8);
      }
      if (state != null) {
        q += "&state=" + java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8);
      }
      PrintWriter out = spec.commandLine().getOut();
      JsonNode answer = server.client().get("/backfills" + q);
      if (json) {
        JsonOut.print(out, answer);
        return 0;
      }
      answer.path("backfills").forEach(b -> summary(out, b));
      out.flush();
      return 0;
    }
  }

  @Command(name = "show", description = "A backfill and the run of each slot.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerClientOptions server;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--wait", description = "Then wait until it ends, printing progress.")
    boolean wait;

    @Option(
        names = "--json",
        description = "Print the server's JSON (GET /api/v1/backfills/{id}); not with --wait.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      if (json && wait) {
        throw new dev.weir.WeirException(
            "--json prints the backfill as it is now and --wait prints progress: use one of them");
      }
      ApiClient api = server.client();
      JsonNode b = api.get("/backfills/" + id);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOut.print(out, b);
        return 0;
      }
      summary(out, b);
      out.printf(
          "  schedule '%s', %s to %s, %d at a time%n",
          b.path("trigger").asText(),
          b.path("from").asText(),
          b.path("to").asText(),
          b.path("parallel").asInt());
      for (String f : new String[] {"error", "waiting"}) {
        if (b.path(f).isTextual()) {
          out.printf("  %s: %s%n", f, b.path(f).asText());
        }
      }
      for (JsonNode s : b.path("slots")) {
        out.printf(
            "  %-22s %-10s %s%s%n",
            s.path("logicalDate").asText(),
            s.path("state").asText(),
            s.path("runId").asText(""),
            s.path("error").isTextual() ? s.path("error").asText() : "");
      }
      out.flush();
      return wait ? BackfillCommand.await(api, id, out, java.time.Duration.ofMillis(500)) : 0;
    }
  }

  abstract static class Action implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerClientOptions server;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    abstract String action();

    @Override
    public Integer call() {
      JsonNode b =
          server.client().post("/backfills/" + id + "/" + action(), "", "application/json");
      summary(spec.commandLine().getOut(), b);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "pause", description = "Start no more runs; the ones going finish.")
  static final class Pause extends Action {
    @Override
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", description = "Start runs again after pause.")
  static final class Resume extends Action {
    @Override
    String action() {
      return "resume";
    }
  }

  @Command(name = "cancel", description = "Start no more runs and cancel the ones going.")
  static final class Cancel extends Action {
    @Override
    String action() {
      return "cancel";
    }
  }
}
