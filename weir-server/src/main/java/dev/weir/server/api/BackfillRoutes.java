package dev.weir.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.expr.Masker;
import dev.weir.server.backfills.Backfill;
import dev.weir.server.backfills.BackfillState;
import dev.weir.server.backfills.Backfills;
import dev.weir.server.backfills.Slot;
import dev.weir.server.flows.FlowKey;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/** {@code /backfills}: preview, create, list, progress, pause, resume, cancel. */
public final class BackfillRoutes implements Consumer<Routes> {
  private final Backfills backfills;
  private final Masker masker;

  public BackfillRoutes(Backfills backfills, Masker masker) {
    this.backfills = backfills;
    this.masker = masker;
  }

  @Override
  public void accept(Routes r) {
    r.post("/backfills", conflicts(this::create))
        .post("/backfills/preview", conflicts(this::preview))
        .get("/backfills", this::list)
        .get("/backfills/{id}", ctx -> ctx.json(json(backfills.get(ctx.pathParam("id")), true)))
        .post("/backfills/{id}/pause", conflicts(ctx -> answer(ctx, backfills::pause)))
        .post("/backfills/{id}/resume", conflicts(ctx -> answer(ctx, backfills::resume)))
        .post(
            "/backfills/{id}/cancel",
            conflicts(ctx -> answer(ctx, id -> backfills.cancel(id, "cancelled over the API"))));
  }

  private static Handler conflicts(Handler h) {
    return ctx -> {
      try {
        h.handle(ctx);
      } catch (Backfills.ConflictException e) {
        throw new ApiException(409, e.getMessage());
      }
    };
  }

  private void answer(Context ctx, java.util.function.Function<String, Backfills.Progress> op) {
    ctx.json(json(op.apply(ctx.pathParam("id")), true));
  }

  private void create(Context ctx) {
    var progress = backfills.create(request(ctx));
    ctx.header("Location", ApiServer.BASE + "/backfills/" + progress.backfill().id());
    ctx.status(201).json(json(progress, true));
  }

  private void preview(Context ctx) {
    ctx.json(BackfillPreviewJson.of(backfills.preview(request(ctx))));
  }

  /** The body of a create or a preview: the same fields, read the same way. */
  private static Backfills.Request request(Context ctx) {
    JsonNode body = Json.parse(ctx.body());
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest(
          "send a JSON object: {\"flow\": \"shop.sales/orders_daily\", \"from\": \"2026-03-01\","
              + " \"to\": \"2026-03-31\", \"parallel\": 2}");
    }
    String flow = text(body, "flow");
    int slash = flow == null ? -1 : flow.indexOf('/');
    if (slash <= 0 || slash == flow.length() - 1) {
      throw ApiException.badRequest(
          "'flow' must be \"NAMESPACE/ID\", e.g. \"shop.sales/orders_daily\", got "
              + (flow == null ? "nothing" : "'" + flow + "'"));
    }
    Integer parallel = null;
    if (body.hasNonNull("parallel")) {
      if (!body.get("parallel").canConvertToExactIntegral()) {
        throw ApiException.badRequest(
            "'parallel' must be a whole number (runs at once), got " + body.get("parallel"));
      }
      parallel = body.get("parallel").asInt();
    }
    return new Backfills.Request(
        new FlowKey(flow.substring(0, slash), flow.substring(slash + 1)),
        text(body, "from"),
        text(body, "to"),
        parallel,
        text(body, "trigger"));
  }

  private static String text(JsonNode body, String name) {
    JsonNode v = body.get(name);
    return v == null || v.isNull() ? null : v.asText();
  }

  private void list(Context ctx) {
    FlowKey flow = null;
    String f = ctx.queryParam("flow");
    if (f != null) {
      int slash = f.indexOf('/');
      if (slash <= 0) {
        throw ApiException.badRequest("'flow' must be NAMESPACE/ID, got '" + f + "'");
      }
      flow = new FlowKey(f.substring(0, slash), f.substring(slash + 1));
    }
    BackfillState state = null;
    if (ctx.queryParam("state") != null) {
      try {
        state = BackfillState.valueOf(ctx.queryParam("state").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "unknown state '"
                + ctx.queryParam("state")
                + "' (known: "
                + Arrays.toString(BackfillState.values())
                + ")");
      }
    }
    int limit =
        ctx.queryParam("limit") == null
            ? 100
            : Math.min(1000, FlowRoutes.intParam(ctx.queryParam("limit"), "limit"));
    var root = Json.MAPPER.createObjectNode();
    var arr = root.putArray("backfills");
    backfills.list(flow, state, limit).forEach(p -> arr.add(json(p, false)));
    ctx.json(root);
  }

  private ObjectNode json(Backfills.Progress p, boolean withSlots) {
    Backfill b = p.backfill();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("id", b.id());
    o.put("flow", b.flow().toString());
    o.put("trigger", b.triggerId());
    o.put("from", str(b.from()));
    o.put("to", str(b.to()));
    o.put("parallel", b.parallel());
    o.put("state", b.state().name());
    o.put("createdAt", str(b.createdAt()));
    o.put("endedAt", str(b.endedAt()));
    o.put("error", masker.mask(b.error()));
    o.put("waiting", p.waiting());
    ObjectNode c = o.putObject("progress");
    int pending = p.count("PENDING");
    int errors = p.count("ERROR");
    c.put("slots", b.slots());
    c.put("pending", pending);
    c.put("created", b.slots() - pending - errors);
    c.put("queued", p.count("QUEUED"));
    c.put("running", p.count("RUNNING"));
    c.put("succeeded", p.count("SUCCEEDED"));
    c.put("failed", p.count("FAILED"));
    c.put("cancelled", p.count("CANCELLED"));
    c.put("errors", errors);
    if (withSlots) {
      var arr = o.putArray("slots");
      for (Slot s : p.slots()) {
        ObjectNode n = arr.addObject();
        n.put("logicalDate", str(s.logicalDate()));
        n.put("runId", s.runId());
        n.put("state", s.status());
        if (s.error() != null) {
          n.put("error", masker.mask(s.error()));
        }
      }
    }
    return o;
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }
}
