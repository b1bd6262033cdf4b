package dev.weir.server.ui;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in browser sessions of the UI: a random id in an HttpOnly, SameSite=Strict cookie, an
 * absolute expiry, and a CSRF token that every state-changing request of the session must echo (in
 * the {@code X-CSRF-Token} header or a form field). Kept in memory: a restarted server asks to sign
 * in again, and no session id is ever written anywhere.
 */
public final class Sessions {
  /** The session cookie's name. */
  public static final String COOKIE = "weir_session";

  /** The header a signed-in page's scripts send the CSRF token in. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  /** More open sessions than this drop the one closest to expiry (a bound on memory). */
  static final int MAX_SESSIONS = 10_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> byId = new ConcurrentHashMap<>();
  private final InstantSource clock;
  private final Duration lifetime;

  /** One signed-in browser. */
  public record Session(String id, String csrf, Instant expires) {
    /** Whether {@code given} is this session's CSRF token (in constant time). */
    public boolean csrfMatches(String given) {
      return given != null && MessageDigest.isEqual(given.getBytes(), csrf.getBytes());
    }
  }

  public Sessions(InstantSource clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** A new session, signed in now. */
  public Session open() {
    if (byId.size() >= MAX_SESSIONS) {
      dropExpired();
      if (byId.size() >= MAX_SESSIONS) {
        byId.values().stream()
            .min(java.util.Comparator.comparing(Session::expires))
            .ifPresent(s -> byId.remove(s.id()));
      }
    }
    var s = new Session(random(), random(), clock.instant().plus(lifetime));
    byId.put(s.id(), s);
    return s;
  }

  /** The live session with this cookie value, if any (an expired one is forgotten). */
  public Optional<Session> find(String cookie) {
    if (cookie == null || cookie.isEmpty()) {
      return Optional.empty();
    }
    Session s = byId.get(cookie);
    if (s == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(s.expires())) {
      byId.remove(cookie);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** Signs a session out; unknown ids are ignored. */
  public void close(String cookie) {
    if (cookie != null) {
      byId.remove(cookie);
    }
  }

  int size() {
    return byId.size();
  }

  private void dropExpired() {
    Instant now = clock.instant();
    for (Iterator<Session> it = byId.values().iterator(); it.hasNext(); ) {
      if (!now.isBefore(it.next().expires())) {
        it.remove();
      }
    }
  }

  /** 256 random bits, URL-safe: unguessable as a session id or CSRF token. */
  static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
