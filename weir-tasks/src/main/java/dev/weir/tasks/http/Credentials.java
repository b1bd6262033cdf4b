package dev.weir.tasks.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;

/** Adds the configured authentication to each request of the API (not to the token request). */
final class Credentials {
  private final Auth auth;
  private final OAuth2Token oauth2;

  private Credentials(Auth auth, OAuth2Token oauth2) {
    this.auth = auth;
    this.oauth2 = oauth2;
  }

  static Credentials of(Auth auth, Redactor redactor, InstantSource clock) {
    OAuth2Token token =
        auth == null || auth.oauth2() == null
            ? null
            : new OAuth2Token(auth.oauth2(), redactor, clock);
    return new Credentials(auth, token);
  }

  /** {@code uri} with the API key added when it travels in the query string. */
  URI uri(URI uri) {
    if (auth == null || auth.apiKey() == null || auth.apiKey().where() != Auth.Location.QUERY) {
      return uri;
    }
    return Urls.withParam(uri, auth.apiKey().name(), auth.apiKey().value());
  }

  /** Headers to add; may fetch an OAuth2 token through {@code caller}. */
  Map<String, String> headers(Caller caller) throws InterruptedException {
    if (auth == null) {
      return Map.of();
    }
    if (auth.bearer() != null) {
      return Map.of("Authorization", "Bearer " + auth.bearer());
    }
    if (auth.basic() != null) {
      String pair =
          auth.basic().username()
              + ":"
              + (auth.basic().password() == null ? "" : auth.basic().password());
      return Map.of(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    if (auth.apiKey() != null && auth.apiKey().where() == Auth.Location.HEADER) {
      return Map.of(auth.apiKey().name(), auth.apiKey().value());
    }
    if (oauth2 != null) {
      return Map.of("Authorization", "Bearer " + oauth2.get(caller));
    }
    return Map.of();
  }

  /** Whether a 401 may be cured by fetching a new token. */
  boolean refreshable() {
    return oauth2 != null;
  }

  void invalidate() {
    if (oauth2 != null) {
      oauth2.invalidate();
    }
  }
}
