package dev.weir.tasks.http;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.ArrayList;
import java.util.List;

/**
 * How an {@code http.extract} task proves who it is; exactly one of the components is set.
 *
 * @param bearer a token sent as {@code Authorization: Bearer <token>}
 */
public record Auth(String bearer, Basic basic, ApiKey apiKey, OAuth2 oauth2) {

  /** HTTP Basic authentication. */
  public record Basic(String username, String password) {}

  /**
   * An API key sent in a header or a query parameter.
   *
   * @param name the header or query parameter name, e.g. {@code X-API-Key} or {@code api_key}
   * @param in where the key goes; defaults to {@code header}
   */
  public record ApiKey(String name, Location in, String value) {
    public Location where() {
      return in == null ? Location.HEADER : in;
    }
  }

  /** Where an API key is sent. */
  public enum Location {
    HEADER,
    QUERY;

    @JsonCreator
    static Location of(String value) {
      return Names.parse(Location.class, value, "auth.apiKey.in", "in: query");
    }
  }

  /**
   * OAuth2 client credentials: a token is fetched from {@code tokenUrl} once per attempt, reused,
   * and fetched again when it expires or the API answers 401.
   *
   * @param clientAuth how the client id and secret reach the token endpoint; defaults to {@code
   *     basic} (an Authorization header, as RFC 6749 requires servers to support)
   */
  public record OAuth2(
      String tokenUrl,
      String clientId,
      String clientSecret,
      List<String> scopes,
      ClientAuth clientAuth) {
    public OAuth2 {
      scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
  }

  /** Where OAuth2 client credentials are sent. */
  public enum ClientAuth {
    BASIC,
    BODY;

    @JsonCreator
    static ClientAuth of(String value) {
      return Names.parse(ClientAuth.class, value, "auth.oauth2.clientAuth", "clientAuth: body");
    }
  }

  /** The YAML names of the kinds that are set, e.g. {@code [bearer, apiKey]}. */
  List<String> kinds() {
    var kinds = new ArrayList<String>();
    if (bearer != null) {
      kinds.add("bearer");
    }
    if (basic != null) {
      kinds.add("basic");
    }
    if (apiKey != null) {
      kinds.add("apiKey");
    }
    if (oauth2 != null) {
      kinds.add("oauth2");
    }
    return kinds;
  }

  /** Every secret value this configuration holds, to keep out of messages. */
  List<String> secrets() {
    var secrets = new ArrayList<String>();
    if (bearer != null) {
      secrets.add(bearer);
    }
    if (basic != null && basic.password() != null) {
      secrets.add(basic.password());
    }
    if (apiKey != null && apiKey.value() != null) {
      secrets.add(apiKey.value());
    }
    if (oauth2 != null && oauth2.clientSecret() != null) {
      secrets.add(oauth2.clientSecret());
    }
    return secrets;
  }
}
