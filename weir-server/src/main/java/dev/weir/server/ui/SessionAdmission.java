package dev.weir.server.ui;

import dev.weir.server.api.ApiException;
import dev.weir.server.api.ApiServer;
import io.javalin.http.Context;
import java.util.Set;

/**
 * Lets a signed-in UI session call the REST API, as a bearer token would, under one more rule: a
 * request that changes something must carry the session's CSRF token in {@code X-CSRF-Token}. A
 * page of another site can make the browser send the cookie (were it not SameSite=Strict) but
 * cannot read the token.
 */
public final class SessionAdmission implements ApiServer.Sessions {
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

  private final Sessions sessions;

  public SessionAdmission(Sessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public boolean admits(Context ctx) {
    var session = sessions.find(ctx.cookie(Sessions.COOKIE));
    if (session.isEmpty()) {
      return false;
    }
    if (!SAFE.contains(ctx.method().name())
        && !session.get().csrfMatches(ctx.header(Sessions.CSRF_HEADER))) {
      throw new ApiException(
          403,
          "missing or wrong CSRF token: a request of a signed-in page that changes something"
              + " must send the page's token in the "
              + Sessions.CSRF_HEADER
              + " header");
    }
    return true;
  }
}
