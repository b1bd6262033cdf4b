package dev.weir.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.WeirException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "flows",
    description = "Flows on a Weir server: list, history, rollback.",
    subcommands = {
      FlowsCommand.List.class,
      FlowsCommand.History.class,
      FlowsCommand.Rollback.class
    })
final class FlowsCommand {
  /** NAMESPACE/ID as the API's path. */
  static String flowPath(String id) {
    int slash = id.lastIndexOf('/');
    if (slash <= 0) {
      throw new WeirException(
          "give the flow as NAMESPACE/ID, e.g. shop.sales/orders_daily (got '" + id + "')");
    }
    return "/flows/" + id.substring(0, slash) + "/" + id.substring(slash + 1);
  }

  @Command(name = "list", description = "List the server's flows.")
  static final class List implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerClientOptions server;

    @Option(names = "--json", description = "Print the server's JSON (GET /api/v1/flows).")
    boolean json;

    @Override
    public Integer call() {
      JsonNode r = server.client().get("/flows");
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOut.print(out, r);
        return 0;
      }
      for (JsonNode f : r.path("flows")) {
        out.printf(
            "%-40s rev %-4d %s%n",
            f.path("namespace").asText() + "/" + f.path("id").asText(),
            f.path("revision").asInt(),
            f.path("enabled").asBoolean() ? "enabled" : "DISABLED");
      }
      for (JsonNode bad : r.path("invalid")) {
        out.printf("INVALID %s%n  %s%n", bad.path("file").asText(), bad.path("message").asText());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "history", description = "The revisions of a flow.")
  static final class History implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerClientOptions server;

    @Parameters(index = "0", paramLabel = "NAMESPACE/ID")
    String id;

    @Option(
        names = "--json",
        description = "Print the server's JSON (GET /api/v1/flows/{ns}/{id}).")
    boolean json;

    @Override
    public Integer call() {
      JsonNode r = server.client().get(flowPath(id));
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        JsonOut.print(out, r);
        return 0;
      }
      for (JsonNode rev : r.path("revisions")) {
        out.printf(
            "%s %3d  %s  %-16s %-10s %s%n",
            rev.path("current").asBoolean() ? "*" : " ",
            rev.path("revision").asInt(),
            rev.path("createdAt").asText(),
            rev.path("hash").asText(),
            rev.path("author").asText(),
            rev.path("origin").asText());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "rollback", description = "Make an earlier revision current again.")
  static final class Rollback implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerClientOptions server;

    @Parameters(index = "0", paramLabel = "NAMESPACE/ID")
    String id;

    @Option(names = "--to", required = true, paramLabel = "REV", description = "The revision.")
    int to;

    @Override
    public Integer call() {
      JsonNode r =
          server
              .client()
              .post(flowPath(id) + "/rollback", "{\"revision\": " + to + "}", "application/json");
      spec.commandLine()
          .getOut()
          .printf(
              "%s/%s is now revision %d (the text of revision %d)%n",
              r.path("namespace").asText(), r.path("id").asText(), r.path("revision").asInt(), to);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
