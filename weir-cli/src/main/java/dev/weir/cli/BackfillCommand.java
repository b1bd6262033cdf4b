package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "backfill",
    description = {
      "Run a flow on a Weir server once for every slot of its schedule between two dates, with"
          + " run.logicalDate the slot.",
      "Dates are whole days in the schedule's time zone; date-times (2026-03-26T05:00,"
          + " …+01:00, …Z) also work. Both ends are inclusive."
    })
final class BackfillCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerClientOptions server;

  @Parameters(index = "0", paramLabel = "NAMESPACE/FLOW")
  String flow;

  @Option(names = "--from", required = true, paramLabel = "DATE", description = "The first day.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "DATE", description = "The last day.")
  String to;

  @Option(
      names = "--parallel",
      defaultValue = "1",
      paramLabel = "N",
      description = "Runs at once (default: 1); the flow's concurrency limit also applies.")
  int parallel;

  @Option(
      names = "--trigger",
      paramLabel = "ID",
      description = "The schedule trigger to follow, when the flow has several.")
  String trigger;

  @Option(
      names = "--wait",
      description = "Wait until it ends, printing progress; exit 0 if every run succeeded, else 1.")
  boolean wait;

  @Override
  public Integer call() throws InterruptedException {
    FlowsCommand.flowPath(flow); // checks NAMESPACE/ID
    // A local mapper, not a static one: picocli creates every command to build `weir --help`, and
    // a static ObjectMapper would cost every command the start of Jackson's data binding.
    ObjectNode body = new ObjectMapper().createObjectNode();
    body.put("flow", flow);
    body.put("from", from);
    body.put("to", to);
    body.put("parallel", parallel);
    if (trigger != null) {
      body.put("trigger", trigger);
    }
    ApiClient api = server.client();
    JsonNode b = api.post("/backfills", body.toString(), "application/json");
    PrintWriter out = spec.commandLine().getOut();
    JsonNode slots = b.path("slots");
    out.printf(
        "Backfill %s of %s: %d run(s) for schedule '%s', %s to %s, %d at a time%n",
        b.path("id").asText(),
        b.path("flow").asText(),
        b.path("progress").path("slots").asInt(),
        b.path("trigger").asText(),
        slots.get(0).path("logicalDate").asText(),
        slots.get(slots.size() - 1).path("logicalDate").asText(),
        b.path("parallel").asInt());
    String id = b.path("id").asText();
    if (!wait) {
      out.printf(
          "Follow it with `weir backfills show %s`; `weir backfills pause|resume|cancel %s`.%n",
          id, id);
      out.flush();
      return 0;
    }
    out.flush();
    return await(api, id, out, Duration.ofMillis(500));
  }

  /** Polls until the backfill ends, printing a line whenever its counts change. */
  static int await(ApiClient api, String id, PrintWriter out, Duration poll)
      throws InterruptedException {
    String last = "";
    while (true) {
      JsonNode b = api.get("/backfills/" + id);
      String state = b.path("state").asText();
      String line = BackfillsCommand.counts(b.path("progress"));
      if (!line.equals(last)) {
        out.printf("  %s%n", line);
        out.flush();
        last = line;
      }
      if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
        out.printf(
            "Backfill %s %s%s%n",
            id, state, b.path("error").isTextual() ? ": " + b.path("error").asText() : "");
        out.flush();
        return state.equals("SUCCEEDED") ? 0 : Errors.FAILED;
      }
      Thread.sleep(poll.toMillis());
    }
  }
}
