package dev.weir.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.FlowParser;
import dev.weir.flow.Problem;
import dev.weir.server.NotFoundException;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.flows.FlowWatcher;
import dev.weir.server.flows.LineDiff;
import dev.weir.server.store.ServerStore;
import dev.weir.store.StateStore;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/** {@code /flows}: list, get with revisions, validate, deploy, enable/disable, rollback, diff. */
public final class FlowRoutes implements Consumer<Routes> {
  private final FlowRegistry flows;
  private final FlowWatcher watcher;
  private final FlowParser parser;
  private final StateStore store;
  private final ServerStore serverStore;
  private final dev.weir.expr.Masker masker;

  /**
   * @param watcher null when the server watches no directory
   */
  public FlowRoutes(
      FlowRegistry flows,
      FlowWatcher watcher,
      FlowParser parser,
      StateStore store,
      ServerStore serverStore,
      dev.weir.expr.Masker masker) {
    this.masker = masker;
    this.flows = flows;
    this.watcher = watcher;
    this.parser = parser;
    this.store = store;
    this.serverStore = serverStore;
  }

  @Override
  public void accept(Routes r) {
    r.get("/flows", this::list)
        .post("/flows", this::deploy)
        .post("/flows/validate", this::validate)
        .get("/flows/{ns}/{id}", this::get)
        .get("/flows/{ns}/{id}/revisions/{rev}", this::revision)
        .get("/flows/{ns}/{id}/diff", this::diff)
        .post("/flows/{ns}/{id}/enable", ctx -> enable(ctx, true))
        .post("/flows/{ns}/{id}/disable", ctx -> enable(ctx, false))
        .post("/flows/{ns}/{id}/rollback", this::rollback);
  }

  static FlowKey key(Context ctx) {
    return new FlowKey(ctx.pathParam("ns"), ctx.pathParam("id"));
  }

  private void list(Context ctx) {
    var root = Json.MAPPER.createObjectNode();
    var arr = root.putArray("flows");
    flows.all().stream()
        .sorted(Comparator.comparing(f -> f.key().toString()))
        .forEach(f -> arr.add(summary(f)));
    var invalid = root.putArray("invalid");
    if (watcher != null) {
      watcher
          .problems()
          .forEach((file, message) -> {
            var o = invalid.addObject();
            o.put("file", file.toString());
            o.put("message", message);
          });
    }
    ctx.json(root);
  }

  static ObjectNode summary(DeployedFlow f) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("namespace", f.flow().namespace());
    o.put("id", f.flow().id());
    o.put("revision", f.revision());
    o.put("hash", f.hash());
    o.put("enabled", f.enabled());
    o.put("description", f.flow().description());
    o.put("file", f.file().toString());
    o.put("tasks", f.flow().tasks().size());
    return o;
  }

  private void get(Context ctx) {
    DeployedFlow f = flows.require(key(ctx));
    ObjectNode o = summary(f);
    o.put("source", masker.mask(f.flow().source().text()));
    var revs = o.putArray("revisions");
    for (var row : serverStore.history(f.flow().namespace(), f.flow().id())) {
      var r = revs.addObject();
      r.put("revision", row.revision());
      r.put("hash", row.hash());
      r.put("author", row.author());
      r.put("origin", row.origin());
      r.put("createdAt", row.createdAt().toString());
      r.put("current", row.revision() == f.revision());
    }
    ctx.json(o);
  }

  private String text(FlowKey key, int revision) {
    var row =
        serverStore.history(key.namespace(), key.id()).stream()
            .filter(h -> h.revision() == revision)
            .findFirst()
            .orElseThrow(
                () -> new NotFoundException("flow " + key + " has no revision " + revision));
    return store.revisionText(row.hash()).orElse("");
  }

  private void revision(Context ctx) {
    FlowKey key = key(ctx);
    flows.require(key);
    int rev = intParam(ctx.pathParam("rev"), "revision");
    var o = Json.MAPPER.createObjectNode();
    o.put("revision", rev);
    o.put("source", masker.mask(text(key, rev)));
    ctx.json(o);
  }

  private void diff(Context ctx) {
    FlowKey key = key(ctx);
    DeployedFlow f = flows.require(key);
    int to = ctx.queryParam("to") == null ? f.revision() : intParam(ctx.queryParam("to"), "to");
    int from =
        ctx.queryParam("from") == null
            ? Math.max(1, to - 1)
            : intParam(ctx.queryParam("from"), "from");
    ctx.contentType("text/plain; charset=utf-8")
        .result(
            masker.mask(
                LineDiff.unified(
                    "revision " + from, text(key, from), "revision " + to, text(key, to))));
  }

  private void validate(Context ctx) {
    var o = Json.MAPPER.createObjectNode();
    try {
      var parsed = parser.read("<request>", ctx.body());
      o.put("valid", true);
      o.put("namespace", parsed.flow().namespace());
      o.put("id", parsed.flow().id());
      problems(o.putArray("warnings"), parsed.warnings());
    } catch (FlowDefinitionException e) {
      o.put("valid", false);
      problems(o.putArray("problems"), e.problems());
    }
    ctx.json(o);
  }

  private static void problems(
      com.fasterxml.jackson.databind.node.ArrayNode arr, List<Problem> ps) {
    for (Problem p : ps) {
      var x = arr.addObject();
      x.put("line", p.location().line());
      x.put("column", p.location().column());
      x.put("path", p.path());
      x.put("message", p.message());
    }
  }

  private void deploy(Context ctx) {
    String text = ctx.body();
    if (ctx.contentType() != null && ctx.contentType().startsWith("application/json")) {
      JsonNode body = Json.parse(text);
      if (body == null || !body.path("source").isTextual()) {
        throw ApiException.badRequest(
            "send the flow's YAML as the body (Content-Type: application/yaml), or JSON"
                + " {\"source\": \"<yaml>\"}");
      }
      text = body.get("source").asText();
    }
    var parsed = parser.read("<deploy>", text);
    int before =
        flows
            .get(new FlowKey(parsed.flow().namespace(), parsed.flow().id()))
            .map(DeployedFlow::revision)
            .orElse(-1);
    DeployedFlow f = flows.deploy(text, author(ctx));
    ObjectNode o = summary(f);
    o.put("changed", f.revision() != before);
    problems(o.putArray("warnings"), parsed.warnings());
    ctx.status(before == -1 ? 201 : 200).json(o);
  }

  private void enable(Context ctx, boolean on) {
    ctx.json(summary(flows.setEnabled(key(ctx), on)));
  }

  private void rollback(Context ctx) {
    JsonNode body = Json.parse(ctx.body());
    JsonNode rev = body == null ? null : body.get("revision");
    if (rev == null || !rev.canConvertToInt()) {
      throw ApiException.badRequest("send {\"revision\": N}, the revision to restore");
    }
    ctx.json(summary(flows.rollback(key(ctx), rev.intValue(), author(ctx))));
  }

  static String author(Context ctx) {
    String a = ctx.header("X-Weir-Author");
    return a == null || a.isBlank() ? "api" : a.strip();
  }

  static int intParam(String value, String name) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + name + "' must be a whole number, got '" + value + "'");
    }
  }
}
