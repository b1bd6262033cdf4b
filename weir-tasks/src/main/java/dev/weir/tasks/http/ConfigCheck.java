package dev.weir.tasks.http;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.expr.Expressions;
import dev.weir.tasks.http.HttpExtractTask.Config;
import dev.weir.tasks.http.HttpExtractTask.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The problems of an {@code http.extract} configuration, each naming the bad value, the rule and a
 * fix. Values that are still templates (at flow validation) are checked only once rendered.
 */
final class ConfigCheck {
  // what a DuckDB type name looks like; anything else would be pasted into SQL unchecked
  private static final Pattern TYPE =
      Pattern.compile("[A-Za-z][A-Za-z0-9_ ]*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?(\\[\\])?");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  // java.net.http sets these itself and refuses them from callers
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final List<String> problems = new ArrayList<>();

  private ConfigCheck() {}

  static List<String> problems(Config c) {
    var check = new ConfigCheck();
    check.url("url", c.url());
    check.body(c);
    check.headers(c);
    check.query(c);
    if (c.auth() != null) {
      check.auth(c.auth());
    }
    check.pointer("records", c.records(), "/data/items");
    if (c.pagination() != null) {
      check.pagination(c.pagination());
    }
    check.limits(c);
    check.schema(c);
    return check.problems;
  }

  private void add(String problem) {
    problems.add(problem);
  }

  private void url(String key, String url) {
    if (url == null || Expressions.isTemplate(url)) {
      return;
    }
    String why = null;
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        why = "it must start with http:// or https://";
      } else if (uri.getHost() == null) {
        why = "it has no host";
      }
    } catch (URISyntaxException e) {
      why = e.getReason() + " at index " + e.getIndex();
    }
    if (why != null) {
      add(
          key
              + " '"
              + Redactor.stripUserInfo(url)
              + "' is not a usable URL: "
              + why
              + "; e.g. `"
              + key
              + ": https://api.example.com/v1/orders`");
    }
  }

  private void body(Config c) {
    JsonNode body = c.body();
    if (body == null || body.isNull()) {
      return;
    }
    if (!body.isObject() && !body.isArray() && !body.isTextual()) {
      add(
          "body "
              + body
              + " is neither JSON (a mapping or a list) nor text; write e.g. `body: {status:"
              + " shipped}` or `body: 'status=shipped'`");
    }
    if (c.method() == null || c.method() == Method.GET) {
      add(
          "body is given but the method is GET, which sends no body; set `method: POST` (or PUT,"
              + " PATCH)");
    }
  }

  private void headers(Config c) {
    if (c.headers() == null) {
      return;
    }
    for (Map.Entry<String, String> h : c.headers().entrySet()) {
      String name = h.getKey();
      if (!TOKEN.matcher(name).matches()) {
        add("header name '" + name + "' is not a valid HTTP header name; e.g. `X-Request-Source`");
      } else if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
        add(
            "header '"
                + name
                + "' is set by the HTTP client itself and cannot be given; remove it from"
                + " headers");
      }
      if (h.getValue() == null) {
        add("header '" + name + "' has no value; give one, e.g. `" + name + ": some-value`");
      } else if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
        add("header '" + name + "' has a line break in its value; HTTP header values are one line");
      }
      if (name.equalsIgnoreCase("Authorization")
          && c.auth() != null
          && (c.auth().bearer() != null || c.auth().basic() != null || c.auth().oauth2() != null)) {
        add(
            "both headers.Authorization and auth."
                + c.auth().kinds().getFirst()
                + " set the Authorization header; keep one of them");
      }
      Auth.ApiKey key = c.auth() == null ? null : c.auth().apiKey();
      if (key != null && key.where() == Auth.Location.HEADER && name.equalsIgnoreCase(key.name())) {
        add(
            "both headers."
                + name
                + " and auth.apiKey set the header '"
                + name
                + "'; keep one of them");
      }
    }
  }

  private void query(Config c) {
    if (c.query() == null) {
      return;
    }
    for (Map.Entry<String, String> q : c.query().entrySet()) {
      if (q.getValue() == null) {
        add(
            "query parameter '"
                + q.getKey()
                + "' has no value; give one, e.g. `"
                + q.getKey()
                + ": shipped`, or quote an empty one: `"
                + q.getKey()
                + ": ''`");
      }
      Auth.ApiKey key = c.auth() == null ? null : c.auth().apiKey();
      if (key != null && key.where() == Auth.Location.QUERY && q.getKey().equals(key.name())) {
        add(
            "both query."
                + q.getKey()
                + " and auth.apiKey set the query parameter '"
                + q.getKey()
                + "'; keep one of them");
      }
      Pagination p = c.pagination();
      if (p != null && p.type() != null && p.params().contains(q.getKey())) {
        add(
            "query parameter '"
                + q.getKey()
                + "' is set by the "
                + lower(p.type())
                + " pagination on every request; remove it from query"
                + (p.type() == Pagination.Type.PAGE ? " (use `startPage` to begin later)" : ""));
      }
    }
  }

  private void auth(Auth auth) {
    List<String> kinds = auth.kinds();
    if (kinds.isEmpty()) {
      add(
          "auth names no kind of authentication; give one of bearer, basic, apiKey, oauth2, e.g."
              + " `auth: {bearer: \"{{ secret('API_TOKEN') }}\"}`, or remove auth");
      return;
    }
    if (kinds.size() > 1) {
      add(
          "auth gives "
              + String.join(" and ", kinds)
              + "; a task authenticates one way, keep one of them");
    }
    if (auth.bearer() != null && auth.bearer().isBlank()) {
      add("auth.bearer is empty; e.g. `auth: {bearer: \"{{ secret('API_TOKEN') }}\"}`");
    }
    if (auth.basic() != null) {
      required("auth.basic.username", auth.basic().username(), "reporting");
      if (auth.basic().password() == null) {
        add(
            "auth.basic.password is missing; e.g. `auth: {basic: {username: reporting, password:"
                + " \"{{ secret('API_PASSWORD') }}\"}}`");
      }
    }
    if (auth.apiKey() != null) {
      Auth.ApiKey key = auth.apiKey();
      required(
          "auth.apiKey.name",
          key.name(),
          key.where() == Auth.Location.QUERY ? "api_key" : "X-API-Key");
      required("auth.apiKey.value", key.value(), "\"{{ secret('API_KEY') }}\"");
      if (key.name() != null && key.where() == Auth.Location.HEADER) {
        if (!TOKEN.matcher(key.name()).matches()) {
          add(
              "auth.apiKey.name '"
                  + key.name()
                  + "' is not a valid HTTP header name; e.g. `X-API-Key`");
        }
      }
    }
    if (auth.oauth2() != null) {
      Auth.OAuth2 o = auth.oauth2();
      required("auth.oauth2.tokenUrl", o.tokenUrl(), "https://auth.example.com/oauth/token");
      url("auth.oauth2.tokenUrl", o.tokenUrl());
      required("auth.oauth2.clientId", o.clientId(), "weir-etl");
      required("auth.oauth2.clientSecret", o.clientSecret(), "\"{{ secret('CLIENT_SECRET') }}\"");
      for (String scope : o.scopes()) {
        if (scope == null || scope.isBlank() || scope.contains(" ")) {
          add(
              "auth.oauth2.scopes holds '"
                  + scope
                  + "'; each scope is one word without spaces, e.g. `scopes: [orders.read,"
                  + " customers.read]`");
        }
      }
    }
  }

  private void required(String key, String value, String example) {
    if (value == null || value.isBlank()) {
      String last = key.substring(key.lastIndexOf('.') + 1);
      add(key + " is missing; add it, e.g. `" + last + ": " + example + "`");
    }
  }

  private void pointer(String key, String pointer, String example) {
    if (pointer == null || Expressions.isTemplate(pointer)) {
      return;
    }
    try {
      JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      add(
          key
              + " '"
              + pointer
              + "' is not a JSON pointer: it must be empty or start with '/', one '/' per level"
              + " (write ~1 for a '/' and ~0 for a '~' inside a name); e.g. `"
              + key
              + ": "
              + example
              + "`");
    }
  }

  private void pagination(Pagination p) {
    if (p.type() == null) {
      add(
          "pagination has no type; give one of page, offset, cursor, link, e.g. `pagination:"
              + " {type: cursor, cursorParam: after, nextCursor: /meta/next}`");
      return;
    }
    List<String> allowed = Pagination.keysOf(p.type());
    for (String key : p.given().keySet()) {
      if (!allowed.contains(key)) {
        add(
            "pagination."
                + key
                + " does not apply to pagination type "
                + lower(p.type())
                + (allowed.isEmpty()
                    ? ", which takes no other keys"
                    : " (its keys: " + String.join(", ", allowed) + ")")
                + "; remove it or change the type");
      }
    }
    positive("pagination.pageSize", p.pageSize());
    positive("pagination.limit", p.limit());
    if (p.startPage() != null && p.startPage() < 0) {
      add("pagination.startPage " + p.startPage() + " is negative; pages count from 0 or 1");
    }
    for (var e : p.given().entrySet()) {
      if (e.getKey().endsWith("Param") && e.getValue().toString().isBlank()) {
        add("pagination." + e.getKey() + " is empty; name the query parameter, e.g. `page`");
      }
    }
    if (p.type() == Pagination.Type.CURSOR) {
      if (p.nextCursor() == null) {
        add(
            "pagination type cursor needs nextCursor, the JSON pointer to the next cursor in each"
                + " response; e.g. `nextCursor: /meta/next`");
      } else {
        pointer("pagination.nextCursor", p.nextCursor(), "/meta/next");
      }
    }
  }

  private void limits(Config c) {
    positive("maxPages", c.maxPages());
    if (c.maxRetries() != null && (c.maxRetries() < 0 || c.maxRetries() > 100)) {
      add("maxRetries " + c.maxRetries() + " is out of range; use 0 to 100, e.g. `maxRetries: 5`");
    }
    if (c.rateLimit() != null && !(c.rateLimit() > 0 && Double.isFinite(c.rateLimit()))) {
      add(
          "rateLimit "
              + c.rateLimit()
              + " is not a positive number of requests per second; e.g. `rateLimit: 5` or"
              + " `rateLimit: 0.5` for one request every 2 seconds");
    }
    positive("requestTimeout", c.requestTimeout(), "30s");
    positive("maxRetryWait", c.maxRetryWait(), "5m");
    if (c.retryDelay() != null && c.retryDelay().isNegative()) {
      add("retryDelay " + c.retryDelay() + " is negative; e.g. `retryDelay: 1s`");
    }
  }

  private void positive(String key, Integer value) {
    if (value != null && value < 1) {
      add(
          key
              + " "
              + value
              + " must be at least 1; e.g. `"
              + key.replaceFirst(".*\\.", "")
              + ": 100`");
    }
  }

  private void positive(String key, Duration value, String example) {
    if (value != null && (value.isZero() || value.isNegative())) {
      add(key + " " + value + " must be longer than zero; e.g. `" + key + ": " + example + "`");
    }
  }

  private void schema(Config c) {
    if (c.schema() == null) {
      return;
    }
    if (c.schema().isEmpty()) {
      add(
          "schema is empty; list the columns to keep with their types, e.g. `schema: {id: BIGINT}`");
    }
    boolean split = false;
    for (Map.Entry<String, String> e : c.schema().entrySet()) {
      String column = e.getKey();
      String type = e.getValue();
      if (split && type == null && column.endsWith(")")) {
        split = false; // the second half of a type YAML split at its comma, reported already
      } else if (type != null && type.contains("(") && !type.contains(")")) {
        split = true;
        add(
            "schema column '"
                + column
                + "' has type '"
                + type
                + "': inside {...} YAML splits at the comma; quote the type, e.g. `"
                + column
                + ": 'DECIMAL(10,2)'`, or write the schema one column per line");
      } else if (type == null || !TYPE.matcher(type.strip()).matches()) {
        add(
            "schema column '"
                + column
                + "' has type '"
                + type
                + "', which is not a DuckDB type name; use e.g. BIGINT, DOUBLE,"
                + " DECIMAL(10,2), VARCHAR, DATE, TIMESTAMP, BOOLEAN or JSON");
      }
    }
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
