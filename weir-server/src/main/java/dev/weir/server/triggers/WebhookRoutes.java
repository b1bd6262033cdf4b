package dev.weir.server.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.WeirException;
import dev.weir.flow.trigger.WebhookTrigger;
import dev.weir.server.api.ApiException;
import dev.weir.server.api.Routes;
import dev.weir.server.api.RunRoutes;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import dev.weir.util.Hashes;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/{ns}/{flow}/{key}}: starts a run of the flow whose enabled webhook trigger
 * has that key. The key is the credential, so no bearer token is asked; every miss (unknown flow,
 * disabled flow or trigger, wrong key) answers the same 404, which does not tell whether the flow
 * exists. Rendered keys are registered with the masker and never logged.
 */
final class WebhookRoutes implements Consumer<Routes> {
  private static final Logger log = LoggerFactory.getLogger(WebhookRoutes.class);

  /** The largest body taken; a bigger one is answered 413. */
  static final int MAX_BODY = 1 << 20;

  // how much of a refused body is read and dropped before the 413 (see tooLarge)
  private static final long DRAIN = 16L << 20;

  /** Request headers never passed to the run: they are credentials. */
  static final Set<String> DROPPED_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie");

  static final String NOT_FOUND =
      "no webhook at this address; check the namespace, the flow id and the key";

  private final FlowRegistry flows;
  private final Firing firing;

  WebhookRoutes(FlowRegistry flows, Firing firing) {
    this.flows = flows;
    this.firing = firing;
    flows.all().forEach(this::registerKeys);
    flows.onChange(this::registerKeys);
  }

  @Override
  public void accept(Routes r) {
    r.post("/webhooks/{ns}/{flow}/{key}", this::receive);
  }

  private void receive(Context ctx) {
    try {
      Object body = body(ctx);
      var key = new FlowKey(ctx.pathParam("ns"), ctx.pathParam("flow"));
      Optional<DeployedFlow> flow = flows.get(key).filter(DeployedFlow::enabled);
      WebhookTrigger hook = flow.map(f -> match(f, ctx.pathParam("key"))).orElse(null);
      if (hook == null) {
        throw new ApiException(404, NOT_FOUND);
      }
      var data = new LinkedHashMap<String, Object>();
      data.put("body", body);
      data.put("headers", headers(ctx));
      RunLauncher.Started started;
      try {
        started = firing.start(flow.get(), hook, data, null);
      } catch (RunLauncher.FlowDisabledException e) {
        throw new ApiException(404, NOT_FOUND); // disabled in between: same answer
      }
      started
          .run()
          .ifPresent(run -> log.info("webhook {} of {} started run {}", hook.id(), key, run.id()));
      RunRoutes.answer(ctx, started);
    } catch (WeirException e) {
      throw e;
    } catch (RuntimeException e) {
      // the API's own handler would log the path, which holds the key
      log.error("webhook request for {}/{} failed", ctx.pathParam("ns"), ctx.pathParam("flow"), e);
      throw new ApiException(500, "internal error; see the server log");
    }
  }

  /** The flow's enabled webhook trigger with this key, comparing every key in constant time. */
  private WebhookTrigger match(DeployedFlow flow, String given) {
    byte[] givenHash = Hashes.sha256(given).getBytes(StandardCharsets.UTF_8);
    WebhookTrigger found = null;
    for (var t : flow.flow().triggers()) {
      if (t instanceof WebhookTrigger hook && !hook.disabled()) {
        String key = render(flow, hook);
        if (key != null
            && MessageDigest.isEqual(givenHash, Hashes.sha256(key).getBytes(StandardCharsets.UTF_8))
            && found == null) {
          found = hook;
        }
      }
    }
    return found;
  }

  private String render(DeployedFlow flow, WebhookTrigger hook) {
    try {
      String key = firing.engine().renderForTrigger(flow.flow(), hook.key(), hook.type(), null);
      firing.engine().masker().register(key);
      return key.isEmpty() ? null : key;
    } catch (WeirException e) {
      log.warn(
          "webhook trigger {} of {} has a key that does not render, so it answers nothing: {}",
          hook.id(),
          flow.key(),
          firing.engine().masker().mask(e.getMessage()));
      return null;
    }
  }

  // so that a run that prints a key shows it masked even before the first call
  private void registerKeys(DeployedFlow flow) {
    flow.flow().triggers().stream()
        .filter(t -> t instanceof WebhookTrigger)
        .forEach(t -> render(flow, (WebhookTrigger) t));
  }

  /** The JSON body, {@code {}} when empty, its text when not JSON. */
  private static Object body(Context ctx) {
    byte[] bytes;
    try (InputStream in = ctx.bodyInputStream()) {
      if (ctx.contentLength() > MAX_BODY) {
        throw tooLarge(in);
      }
      bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw tooLarge(in);
      }
    } catch (IOException e) {
      throw new ApiException(400, "cannot read the request body: " + e.getMessage());
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return Map.of();
    }
    try {
      JsonNode node = Firing.JSON.readTree(text);
      return Firing.JSON.convertValue(node, Object.class);
    } catch (IOException e) {
      return text;
    }
  }

  /**
   * The 413 for a body over the limit. The rest of the body (up to {@link #DRAIN} bytes) is read
   * and dropped first: answering while the client still sends makes the server close the connection
   * under it, and most clients then report a reset instead of the 413.
   */
  private static ApiException tooLarge(InputStream in) throws IOException {
    long left = DRAIN;
    byte[] sink = new byte[64 * 1024];
    int n;
    while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
      left -= n;
    }
    return new ApiException(
        413, "the webhook body is larger than " + (MAX_BODY >> 20) + " MiB; send less");
  }

  /** Request headers by lower-case name, credentials left out. */
  private static Map<String, Object> headers(Context ctx) {
    var out = new TreeMap<String, Object>();
    ctx.headerMap()
        .forEach((name, value) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!DROPPED_HEADERS.contains(lower)) {
            out.merge(lower, value, (a, b) -> a + ", " + b);
          }
        });
    return out;
  }
}
