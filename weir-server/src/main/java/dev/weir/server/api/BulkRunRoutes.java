package dev.weir.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.expr.Masker;
import dev.weir.server.runs.RunLauncher;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /runs/cancel} and {@code POST /runs/retry} with {@code {"ids": [...]}}: the action of
 * {@code POST /runs/{id}/cancel} (or {@code /retry}) on each run, one after another. One run that
 * cannot be cancelled does not stop the others: the answer has a result per id, in the order asked,
 * with the status and message that run's own request would have answered.
 */
public final class BulkRunRoutes implements Consumer<Routes> {
  /** As many as a page of the runs list holds. */
  static final int MAX_IDS = dev.weir.store.RunSearch.MAX_LIMIT;

  private static final Logger log = LoggerFactory.getLogger(BulkRunRoutes.class);

  private final RunLauncher launcher;
  private final StateStore store;
  private final Masker masker;

  public BulkRunRoutes(RunLauncher launcher, StateStore store, Masker masker) {
    this.launcher = launcher;
    this.store = store;
    this.masker = masker;
  }

  @Override
  public void accept(Routes r) {
    r.post("/runs/cancel", ctx -> each(ctx, "cancel", id -> RunRoutes.cancel(launcher, store, id)))
        .post("/runs/retry", ctx -> each(ctx, "retry", id -> RunRoutes.retry(launcher, store, id)));
  }

  private interface Action {
    RunRecord apply(String id);
  }

  private void each(Context ctx, String verb, Action action) {
    List<String> ids = ids(ctx, verb);
    var root = Json.MAPPER.createObjectNode();
    var results = root.putArray("results");
    int ok = 0;
    for (String id : ids) {
      ObjectNode o = results.addObject();
      o.put("id", id);
      try {
        RunRecord run = action.apply(id);
        o.put("ok", true);
        o.put("runId", run.id());
        o.put("state", run.state().name());
        ok++;
      } catch (Exception e) {
        int status = ApiServer.status(e);
        if (status == 500) {
          log.error("{} of run {} in POST /runs/{} failed", verb, id, verb, e);
        }
        o.put("ok", false);
        o.put("status", status);
        o.put("error", masker.mask(ApiServer.message(e, status)));
      }
    }
    root.put("succeeded", ok);
    root.put("failed", ids.size() - ok);
    ctx.json(root);
  }

  /** The ids of the body, each once, in the order given. */
  private static List<String> ids(Context ctx, String verb) {
    String example = "; send {\"ids\": [\"run_1\", \"run_2\"]}";
    JsonNode body = Json.parse(ctx.body()); // text that is not JSON comes back as a string
    JsonNode ids = body == null ? null : body.get("ids");
    if (ids == null || !ids.isArray() || ids.isEmpty()) {
      throw ApiException.badRequest(
          "POST /runs/" + verb + " needs a non-empty array 'ids' of run ids" + example);
    }
    if (ids.size() > MAX_IDS) {
      throw ApiException.badRequest(
          "POST /runs/" + verb + " takes at most " + MAX_IDS + " ids, got " + ids.size());
    }
    var out = new LinkedHashSet<String>();
    for (JsonNode id : ids) {
      if (!id.isTextual() || id.asText().isBlank()) {
        throw ApiException.badRequest("'ids' must hold run ids as strings, got " + id + example);
      }
      out.add(id.asText());
    }
    return new ArrayList<>(out);
  }
}
