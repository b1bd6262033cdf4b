package dev.weir.server.ui;

import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders a page of a signed-in session inside the layout: the title, which navigation entry is
 * current, the CSRF token for its forms and scripts, and the page's own model. Sets the headers
 * every page carries (a strict content security policy: the pages run only the UI's own script
 * files, never inline code).
 */
final class View {
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final Templates templates;

  View(Templates templates) {
    this.templates = templates;
  }

  void page(
      Context ctx,
      Sessions.Session session,
      String template,
      String title,
      String nav,
      Map<String, Object> model) {
    var m = new HashMap<String, Object>(model);
    m.put("title", title);
    m.put("nav", nav);
    m.put("csrf", session == null ? null : session.csrf());
    m.put("signedIn", session != null);
    html(ctx, templates.render(template, m));
  }

  static void html(Context ctx, String body) {
    headers(ctx);
    ctx.contentType("text/html; charset=utf-8").result(body);
  }

  static void headers(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("Cache-Control", "no-store");
  }
}
