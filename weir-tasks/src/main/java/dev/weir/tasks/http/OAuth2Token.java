package dev.weir.tasks.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.task.TaskFailedException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * An OAuth2 client-credentials token (RFC 6749 §4.4), fetched when first needed and kept for the
 * attempt until it nears its {@code expires_in} or the API rejects it.
 */
final class OAuth2Token {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MARGIN_SECONDS = 30;

  private final Auth.OAuth2 config;
  private final Redactor redactor;
  private final InstantSource clock;
  private String token;
  private Instant expires;

  OAuth2Token(Auth.OAuth2 config, Redactor redactor, InstantSource clock) {
    this.config = config;
    this.redactor = redactor;
    this.clock = clock;
  }

  String get(Caller caller) throws InterruptedException {
    if (token == null || (expires != null && !clock.instant().isBefore(expires))) {
      fetch(caller);
    }
    return token;
  }

  void invalidate() {
    token = null;
  }

  private void fetch(Caller caller) throws InterruptedException {
    var form = new LinkedHashMap<String, String>();
    form.put("grant_type", "client_credentials");
    if (!config.scopes().isEmpty()) {
      form.put("scope", String.join(" ", config.scopes()));
    }
    var headers = new LinkedHashMap<String, String>();
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    headers.put("Accept", "application/json");
    if (config.clientAuth() == Auth.ClientAuth.BODY) {
      form.put("client_id", config.clientId());
      form.put("client_secret", config.clientSecret());
    } else {
      // RFC 6749 §2.3.1: each part form-encoded before Basic encoding
      String pair = encode(config.clientId()) + ":" + encode(config.clientSecret());
      headers.put(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    List<String> pairs = new ArrayList<>();
    form.forEach((k, v) -> pairs.add(encode(k) + "=" + encode(v)));
    byte[] body = String.join("&", pairs).getBytes(StandardCharsets.UTF_8);
    URI uri = URI.create(config.tokenUrl());
    Response response =
        caller.send(new Call("the OAuth2 token request", "POST", uri, headers, body), false);
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      json = null;
    }
    JsonNode access = json == null ? null : json.get("access_token");
    if (access == null || !access.isTextual() || access.textValue().isEmpty()) {
      throw TaskFailedException.permanent(
          "http.extract: the OAuth2 token response from "
              + redactor.url(uri)
              + " holds no access_token"
              + (json != null && json.isObject() ? " (its keys: " + keys(json) + ")" : "")
              + "; check auth.oauth2.tokenUrl points at the token endpoint");
    }
    token = access.textValue();
    redactor.add(token);
    JsonNode expiresIn = json.get("expires_in");
    if (expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0) {
      long seconds = expiresIn.asLong();
      expires =
          clock.instant().plus(Duration.ofSeconds(seconds - Math.min(MARGIN_SECONDS, seconds / 2)));
    } else {
      expires = null;
    }
  }

  private static String keys(JsonNode json) {
    var names = new ArrayList<String>();
    json.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
