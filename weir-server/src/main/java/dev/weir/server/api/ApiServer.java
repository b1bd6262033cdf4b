package dev.weir.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.WeirException;
import dev.weir.expr.Masker;
import dev.weir.flow.FlowDefinitionException;
import dev.weir.server.NotFoundException;
import dev.weir.server.runs.RunLauncher;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /api/v1}: JSON in and out, bearer-token auth (except health, the
 * OpenAPI document, the flow schema and webhooks, which carry their own key), and one error shape
 * for every failure: {@code {"error": {"status": 404, "message": "…"}}}, with secrets masked.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  static final String BASE = "/api/v1";

  /** Set on a request whose error page was rendered already (a 404 must not replace it). */
  public static final String ERROR_PAGE_SHOWN = "weir.errorPageShown";

  private final Javalin app;
  private final List<Routes.Endpoint> endpoints;

  /** Who else may call the API: a signed-in UI session, with its CSRF token on changes. */
  public interface Sessions {
    /**
     * Whether the request carries a live session cookie; throws an {@link ApiException} 403 when it
     * does but a state-changing request lacks the session's CSRF token.
     */
    boolean admits(Context ctx);
  }

  /** Renders an error of a path outside the API (the UI's pages) as HTML. */
  public interface ErrorPage {
    void render(Context ctx, int status, String maskedMessage);
  }

  /**
   * @param routes each adds its endpoints (flows, runs, webhooks, backfills…)
   */
  public ApiServer(Tokens tokens, Masker masker, List<Consumer<Routes>> routes) {
    this(tokens, masker, routes, ctx -> false, null);
  }

  /**
   * @param sessions browser sessions of the UI, admitted beside bearer tokens
   * @param errorPage how errors of paths outside {@code /api} are shown (null: as JSON)
   */
  public ApiServer(
      Tokens tokens,
      Masker masker,
      List<Consumer<Routes>> routes,
      Sessions sessions,
      ErrorPage errorPage) {
    var added = new java.util.ArrayList<Routes.Endpoint>();
    this.app =
        Javalin.create(config -> {
          config.concurrency.useVirtualThreads = true;
          config.startup.showJavalinBanner = false;
          config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
          config.routes.before(BASE + "/*", ctx -> authenticate(ctx, tokens, sessions));
          var r = new Routes(config.routes);
          routes.forEach(add -> add.accept(r));
          added.addAll(r.endpoints());
          config.routes.exception(
              Exception.class,
              (e, ctx) -> {
                try {
                  error(ctx, e, masker, outsideApi(ctx, errorPage) ? errorPage : null);
                } catch (RuntimeException gone) {
                  // the request is gone (a browser left a stream while it was written to; Jetty
                  // recycled it): nobody to answer, and logging it each time would flood the log
                }
              });
          config.routes.error(
              404,
              ctx -> {
                if (outsideApi(ctx, errorPage)) {
                  if (ctx.attribute(ERROR_PAGE_SHOWN) == null) {
                    errorPage.render(ctx, 404, "There is no page at " + ctx.path() + ".");
                  }
                } else if (ctx.result() == null || !ctx.result().startsWith("{")) {
                  // no handler answered (Javalin's own text says "Endpoint … not found")
                  ctx.json(
                      body(
                          404,
                          "no such endpoint: "
                              + ctx.method()
                              + " "
                              + ctx.path()
                              + "; see "
                              + BASE
                              + "/openapi.json"));
                }
              });
        });
    this.endpoints = List.copyOf(added);
  }

  /** The endpoints under {@code /api/v1} the features added: what openapi.json must describe. */
  public List<Routes.Endpoint> endpoints() {
    return endpoints;
  }

  /** Starts listening; returns the bound port (useful with port 0). */
  public int start(String host, int port) {
    try {
      app.start(host, port);
    } catch (io.javalin.util.JavalinBindException e) {
      throw Ports.inUse(host, port, e); // "Port already in use…"
    }
    return app.port();
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private static boolean outsideApi(Context ctx, ErrorPage errorPage) {
    return errorPage != null
        && !ctx.path().startsWith("/api/")
        && !ctx.path().equals("/metrics")
        && !ctx.path().startsWith("/ui/");
  }

  private static void authenticate(Context ctx, Tokens tokens, Sessions sessions) {
    String path = ctx.path();
    if (path.equals(BASE + "/health")
        || path.equals(BASE + "/openapi.json")
        || path.equals(BASE + SchemaRoutes.PATH)
        || path.startsWith(BASE + "/webhooks/")) {
      return;
    }
    if (ctx.header("Authorization") == null && sessions.admits(ctx)) {
      return;
    }
    if (!tokens.accepts(ctx.header("Authorization"))) {
      throw new ApiException(
          401,
          ctx.header("Authorization") == null
              ? "missing bearer token: send `Authorization: Bearer <token>` (tokens come from the"
                  + " server config, WEIR_API_TOKENS, or the one printed at first start), or sign"
                  + " in to the UI at /sign-in"
              : "the bearer token is not valid for this server");
    }
  }

  static ObjectNode body(int status, String message) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("status", status);
    err.put("message", message);
    return root;
  }

  /** The HTTP status of a failure: the same for a request and for one item of a bulk action. */
  static int status(Exception e) {
    if (e instanceof ApiException a) {
      return a.status();
    } else if (e instanceof NotFoundException) {
      return 404;
    } else if (e instanceof RunLauncher.FlowDisabledException) {
      return 409;
    } else if (e instanceof FlowDefinitionException) {
      return 422;
    } else if (e instanceof io.javalin.http.HttpResponseException h) {
      return h.getStatus();
    } else if (e instanceof WeirException || e instanceof IllegalArgumentException) {
      return 400;
    }
    return 500;
  }

  /** What a client is told of a failure: an internal error only by its kind. */
  static String message(Exception e, int status) {
    return status == 500
        ? "internal error: " + e.getClass().getSimpleName() + "; see the server log"
        : e.getMessage();
  }

  private static void error(Context ctx, Exception e, Masker masker, ErrorPage page) {
    int status = status(e);
    if (status == 500) {
      log.error("API request {} {} failed", ctx.method(), ctx.path(), e);
    }
    String message = message(e, status);
    if (page != null) {
      ctx.attribute(ERROR_PAGE_SHOWN, Boolean.TRUE);
      page.render(ctx, status, masker.mask(message));
      return;
    }
    ObjectNode b = body(status, masker.mask(message));
    if (e instanceof FlowDefinitionException fd) {
      var problems = ((ObjectNode) b.get("error")).putArray("problems");
      fd.problems()
          .forEach(p -> {
            var o = problems.addObject();
            o.put("file", p.location().file());
            o.put("line", p.location().line());
            o.put("column", p.location().column());
            o.put("path", p.path());
            o.put("message", masker.mask(p.message()));
          });
    }
    ctx.status(HttpStatus.forStatus(status)).json(b);
  }
}
