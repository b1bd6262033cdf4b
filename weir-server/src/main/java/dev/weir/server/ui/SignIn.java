package dev.weir.server.ui;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Map;

/**
 * Sign-in with an API token and sign-out. The sign-in form is protected against login CSRF by a
 * double-submit token (a random value in a SameSite=Strict cookie that the form must echo); a
 * successful sign-in replaces it by the session cookie. Wrong tokens get one answer, whatever is
 * wrong, and the token is never echoed back.
 */
final class SignIn {
  static final String FORM_COOKIE = "weir_signin";

  private final Ui ui;
  private final View view;

  SignIn(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  void form(Context ctx) {
    if (ui.sessions().find(ctx.cookie(Sessions.COOKIE)).isPresent()) {
      ctx.redirect(next(ctx.queryParam("next")));
      return;
    }
    show(ctx, null);
  }

  void submit(Context ctx) {
    String expected = ctx.cookie(FORM_COOKIE);
    String given = ctx.formParam("csrf");
    if (expected == null || given == null || !constantTimeEquals(expected, given)) {
      ctx.status(403);
      show(ctx, "The sign-in form expired or came from another site. Try again.");
      return;
    }
    String token = ctx.formParam("token");
    if (token == null || token.isBlank() || !ui.tokens().accepts("Bearer " + token.strip())) {
      ctx.status(401);
      show(ctx, "That token is not valid for this server.");
      return;
    }
    Sessions.Session s = ui.sessions().open();
    ctx.cookie(cookie(Sessions.COOKIE, s.id(), (int) ui.sessions().lifetime().toSeconds(), ctx));
    ctx.cookie(cookie(FORM_COOKIE, "", 0, ctx));
    ctx.redirect(next(ctx.formParam("next")), io.javalin.http.HttpStatus.SEE_OTHER);
  }

  void signOut(Context ctx) {
    var s = ui.sessions().find(ctx.cookie(Sessions.COOKIE));
    if (s.isPresent() && s.get().csrfMatches(ctx.formParam("csrf"))) {
      ui.sessions().close(s.get().id());
      ctx.cookie(cookie(Sessions.COOKIE, "", 0, ctx));
    } else if (s.isPresent()) {
      ctx.status(403).result("sign-out refused: the form's CSRF token is missing or wrong");
      return;
    }
    ctx.redirect("/sign-in", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  private void show(Context ctx, String error) {
    String formToken = Sessions.random();
    ctx.cookie(cookie(FORM_COOKIE, formToken, 3600, ctx));
    view.page(
        ctx,
        null,
        "sign-in",
        "Sign in",
        "",
        error == null
            ? Map.of("formCsrf", formToken, "next", next(param(ctx, "next")))
            : Map.of("formCsrf", formToken, "next", next(param(ctx, "next")), "error", error));
  }

  private static String param(Context ctx, String name) {
    String q = ctx.queryParam(name);
    return q != null ? q : ctx.formParam(name);
  }

  /** Only a path on this server: never an absolute or protocol-relative URL (open redirect). */
  static String next(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.startsWith("/\\")
        || next.startsWith("/sign-in")) {
      return "/";
    }
    return next;
  }

  static Cookie cookie(String name, String value, int maxAge, Context ctx) {
    boolean https = "https".equalsIgnoreCase(ctx.scheme());
    return new Cookie(name, value, "/", maxAge, https, true, null, SameSite.STRICT);
  }

  private static boolean constantTimeEquals(String a, String b) {
    return java.security.MessageDigest.isEqual(a.getBytes(), b.getBytes());
  }
}
