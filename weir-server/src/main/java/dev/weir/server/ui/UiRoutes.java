package dev.weir.server.ui;

import dev.weir.server.api.Routes;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The web UI's routes, next to {@code /api/v1}: the pages (each its own class), sign-in and
 * sign-out, and the UI's static files. Every page needs a signed-in session and sends the browser
 * to {@code /sign-in} otherwise; what a page does (cancel, retry…) goes through the REST API with
 * the session's CSRF token, under the API's own checks.
 */
public final class UiRoutes implements Consumer<Routes> {
  /** A page of a signed-in session. */
  interface Page {
    void handle(Context ctx, Sessions.Session session) throws Exception;
  }

  private final Ui ui;
  private final View view;

  public UiRoutes(Ui ui) {
    this.ui = ui;
    this.view = new View(new Templates());
  }

  @Override
  public void accept(Routes r) {
    var signIn = new SignIn(ui, view);
    r.getOutsideApi("/", authed(new OverviewPage(ui, view)::handle))
        .getOutsideApi("/runs", authed(new RunsPage(ui, view)::handle))
        .getOutsideApi("/runs/{id}", authed(new RunPage(ui, view)::handle))
        .getOutsideApi("/runs/{id}/logs", authed(new LogsPage(ui, view)::handle))
        .getOutsideApi("/flows", authed(new FlowsPage(ui, view)::handle))
        .getOutsideApi("/flows/{ns}/{id}", authed(new FlowPage(ui, view)::handle))
        .getOutsideApi("/flows/{ns}/{id}/diff", authed(new FlowDiffPage(ui, view)::handle))
        .getOutsideApi("/backfills", authed(new BackfillsPage(ui, view)::handle))
        .getOutsideApi("/backfills/new", authed(new NewBackfillPage(ui, view)::handle))
        .getOutsideApi("/backfills/{id}", authed(new BackfillPage(ui, view)::handle))
        .getOutsideApi("/datasets", authed(new DatasetsPage(ui, view)::handle))
        .getOutsideApi("/sign-in", signIn::form)
        .postOutsideApi("/sign-in", signIn::submit)
        .postOutsideApi("/sign-out", signIn::signOut)
        .getOutsideApi("/ui/{kind}/{file}", new Assets()::serve);
  }

  private Handler authed(Page page) {
    return ctx -> {
      var session = ui.sessions().find(ctx.cookie(Sessions.COOKIE));
      if (session.isEmpty()) {
        String here = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        ctx.redirect("/sign-in?next=" + URLEncoder.encode(here, StandardCharsets.UTF_8));
        return;
      }
      page.handle(ctx, session.get());
    };
  }

  /** An error page for a UI path (the API's paths answer JSON); the message is already masked. */
  public static void errorPage(Context ctx, int status, String message) {
    View.headers(ctx);
    ctx.status(status)
        .contentType("text/html; charset=utf-8")
        .result(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                + status
                + " · Weir</title><link rel=\"icon\" href=\"/ui/static/favicon.svg\">"
                + "<link rel=\"stylesheet\" href=\"/ui/static/app.css\"></head>"
                + "<body><main class=\"page\"><h1>"
                + status
                + "</h1><p class=\"error\">"
                + Html.escape(message)
                + "</p><p><a href=\"/\">Overview</a> · <a href=\"/runs\">Runs</a> · <a href=\"/flows\">Flows</a></p>"
                + "</main></body></html>");
  }
}
